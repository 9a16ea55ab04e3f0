using System.Buffers.Binary;
using System.Text;

namespace KernelGen.Samples.EfficientNet.Weights;

/// <summary>A storage reference from a <c>.pth</c> pickle's persistent id: <c>('storage', torch.HalfStorage, key, location, numel)</c>.</summary>
internal sealed record PickledStorage(StoredDType DType, string Key, long ElementCount);

/// <summary>A tensor rebuilt by <c>torch._utils._rebuild_tensor_v2</c>: a view into a storage.</summary>
internal sealed record PickledTensor(PickledStorage Storage, long StorageOffset, int[] Shape, long[] Stride);

/// <summary>A class or function named by a GLOBAL opcode that passed the allow-list.</summary>
internal sealed record PickledGlobal(string Module, string Name)
{
    public string FullName => Module + "." + Name;
}

/// <summary>A pickled dict (plain or <c>collections.OrderedDict</c>), keys kept in insertion order.</summary>
internal sealed class PickledDict
{
    public List<KeyValuePair<object?, object?>> Items { get; } = [];
}

/// <summary>
/// A deliberately small unpickler for PyTorch state dicts. A <c>.pth</c> file is untrusted input: a
/// general unpickler runs arbitrary code (GLOBAL + REDUCE can call <c>os.system</c>). This one builds
/// only plain data (str, int, bool, None, tuple, list, dict), storages and tensor views; it resolves
/// GLOBAL only against a fixed allow-list, applies REDUCE only to allowed callables, and rejects every
/// other opcode with its name and offset.
/// </summary>
internal sealed class RestrictedUnpickler
{
    private const int MaxMemo = 1 << 20;
    private const int MaxStack = 1 << 20;

    /// <summary>
    /// Opcodes one pickle may execute. Each allocates at most one small object, so this bounds memory and
    /// time (a torchvision state dict needs about 10,000); 250 million nested tuples would otherwise take gigabytes.
    /// </summary>
    internal const int MaxOperations = 1 << 21;

    /// <summary>Deepest nesting of tuples, lists and dicts (a state dict needs 4).</summary>
    internal const int MaxDepth = 64;

    private static readonly HashSet<string> AllowedGlobals = new(StringComparer.Ordinal)
    {
        "collections.OrderedDict",
        "torch._utils._rebuild_tensor_v2",
        "torch._utils._rebuild_parameter",
        "torch.HalfStorage",
        "torch.FloatStorage",
        "torch.BFloat16Storage",
        "torch.DoubleStorage",
        "torch.LongStorage",
    };

    private static readonly object Mark = new();

    private readonly byte[] data;
    private readonly string file;
    private readonly List<object?> stack = [];
    private readonly Dictionary<int, object?> memo = [];
    private readonly Stack<int> marks = new();
    private readonly Dictionary<object, int> depths = new(ReferenceEqualityComparer.Instance);
    private int pos;
    private int operations;

    private RestrictedUnpickler(byte[] data, string file)
    {
        this.data = data;
        this.file = file;
    }

    /// <summary>Unpickles <paramref name="data"/>; <paramref name="file"/> names the source in errors.</summary>
    public static object? Load(byte[] data, string file) => new RestrictedUnpickler(data, file).Run();

    private object? Run()
    {
        while (true)
        {
            if (pos >= data.Length)
                throw Error(pos, "the pickle ends without a STOP opcode (truncated)");
            int at = pos;
            if (++operations > MaxOperations)
                throw Error(at, $"more than {MaxOperations} opcodes; a state dict needs far fewer (refusing what looks like a memory bomb)");
            byte op = data[pos++];
            switch (op)
            {
                case 0x80: // PROTO
                    {
                        byte version = ReadBytes(1, at)[0];
                        if (version > 5)
                            throw Error(at, $"unsupported pickle protocol {version}");
                        break;
                    }
                case 0x2E: // STOP
                    if (marks.Count != 0 || stack.Count != 1)
                        throw Error(at, $"STOP with {stack.Count} values on the stack (expected exactly 1)");
                    return stack[0];
                case 0x7D: Push(new PickledDict(), at); break; // EMPTY_DICT
                case 0x29: Push(Array.Empty<object?>(), at); break; // EMPTY_TUPLE
                case 0x5D: Push(new List<object?>(), at); break; // EMPTY_LIST
                case 0x28: // MARK
                    marks.Push(stack.Count);
                    Push(Mark, at);
                    break;
                case 0x58: // BINUNICODE
                    {
                        uint len = BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4, at));
                        Push(ReadString(len, at), at);
                        break;
                    }
                case 0x8C: // SHORT_BINUNICODE
                    Push(ReadString(ReadBytes(1, at)[0], at), at);
                    break;
                case 0x4A: Push((long)BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4, at)), at); break; // BININT
                case 0x4B: Push((long)ReadBytes(1, at)[0], at); break; // BININT1
                case 0x4D: Push((long)BinaryPrimitives.ReadUInt16LittleEndian(ReadBytes(2, at)), at); break; // BININT2
                case 0x85: Push(Nest(new[] { Pop(at) }, at), at); break; // TUPLE1
                case 0x86: // TUPLE2
                    {
                        object? b = Pop(at), a = Pop(at);
                        Push(Nest(new[] { a, b }, at), at);
                        break;
                    }
                case 0x87: // TUPLE3
                    {
                        object? c = Pop(at), b = Pop(at), a = Pop(at);
                        Push(Nest(new[] { a, b, c }, at), at);
                        break;
                    }
                case 0x74: Push(Nest(PopToMark(at).ToArray(), at), at); break; // TUPLE
                case 0x51: Push(PersistentLoad(Pop(at), at), at); break; // BINPERSID
                case 0x63: Push(Global(at), at); break; // GLOBAL
                case 0x52: // REDUCE
                    {
                        object? args = Pop(at), callable = Pop(at);
                        Push(Reduce(callable, args, at), at);
                        break;
                    }
                case 0x73: // SETITEM
                    {
                        object? value = Pop(at), key = Pop(at);
                        PickledDict dict = PeekDict(at, "SETITEM");
                        dict.Items.Add(new(CheckKey(key, at), value));
                        Contain(dict, value, at);
                        break;
                    }
                case 0x75: // SETITEMS
                    {
                        List<object?> items = PopToMark(at);
                        if (items.Count % 2 != 0)
                            throw Error(at, "SETITEMS with an odd number of values");
                        PickledDict dict = PeekDict(at, "SETITEMS");
                        for (int i = 0; i < items.Count; i += 2)
                        {
                            dict.Items.Add(new(CheckKey(items[i], at), items[i + 1]));
                            Contain(dict, items[i + 1], at);
                        }
                        break;
                    }
                case 0x65: // APPENDS
                    {
                        List<object?> items = PopToMark(at);
                        if (stack.Count == 0 || stack[^1] is not List<object?> list)
                            throw Error(at, "APPENDS target is not a list");
                        list.AddRange(items);
                        foreach (object? item in items)
                            Contain(list, item, at);
                        break;
                    }
                case 0x71: Memoize(ReadBytes(1, at)[0], at); break; // BINPUT
                case 0x72: Memoize(BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4, at)), at); break; // LONG_BINPUT
                case 0x68: Push(MemoGet(ReadBytes(1, at)[0], at), at); break; // BINGET
                case 0x6A: Push(MemoGet(BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4, at)), at), at); break; // LONG_BINGET
                case 0x89: Push(false, at); break; // NEWFALSE
                case 0x88: Push(true, at); break; // NEWTRUE
                case 0x4E: Push(null, at); break; // NONE
                case 0x62: // BUILD: only OrderedDict's attribute state (torch keeps `_metadata` there); it is ignored.
                    {
                        object? state = Pop(at);
                        if (stack.Count == 0 || stack[^1] is not PickledDict)
                            throw Error(at, "BUILD is only accepted on an OrderedDict (state-dict metadata)");
                        if (state is not (PickledDict or null))
                            throw Error(at, "BUILD state for an OrderedDict must be a dict");
                        break;
                    }
                default:
                    throw Error(at, $"opcode {OpcodeName(op)} is not allowed in a state dict; refusing to load (a .pth is untrusted input)");
            }
        }
    }

    private PickledStorage PersistentLoad(object? pid, int at)
    {
        if (pid is not object?[] t || t.Length != 5 || t[0] is not "storage")
            throw Error(at, "BINPERSID expects ('storage', <StorageType>, key, location, numel)");
        if (t[1] is not PickledGlobal g)
            throw Error(at, "BINPERSID storage type is not a torch storage class");
        StoredDType dtype = g.FullName switch
        {
            "torch.HalfStorage" => StoredDType.F16,
            "torch.FloatStorage" => StoredDType.F32,
            "torch.BFloat16Storage" => StoredDType.BF16,
            "torch.DoubleStorage" => StoredDType.F64,
            "torch.LongStorage" => StoredDType.I64,
            _ => throw Error(at, $"{g.FullName} is not a storage type"),
        };
        if (t[2] is not string key || key.Length == 0 || key.Length > 64 || !key.All(char.IsAsciiLetterOrDigit))
            throw Error(at, "BINPERSID storage key must be a short alphanumeric string");
        if (t[4] is not long numel || numel < 0)
            throw Error(at, "BINPERSID storage size must be a non-negative integer");
        return new PickledStorage(dtype, key, numel);
    }

    private PickledGlobal Global(int at)
    {
        string module = ReadLine(at), name = ReadLine(at);
        string full = module + "." + name;
        if (!AllowedGlobals.Contains(full))
            throw Error(at, $"GLOBAL '{full}' is not allowed; a state dict may only reference {string.Join(", ", AllowedGlobals)}");
        return new PickledGlobal(module, name);
    }

    private object Reduce(object? callable, object? args, int at)
    {
        if (callable is not PickledGlobal g)
            throw Error(at, "REDUCE target is not an allowed global");
        if (args is not object?[] a)
            throw Error(at, $"REDUCE arguments for {g.FullName} are not a tuple");
        switch (g.FullName)
        {
            case "collections.OrderedDict":
                if (a.Length != 0)
                    throw Error(at, "REDUCE collections.OrderedDict only with no arguments");
                return new PickledDict();
            case "torch._utils._rebuild_tensor_v2":
                {
                    // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
                    if (a.Length is < 6 or > 7 || a[0] is not PickledStorage storage || a[1] is not long offset
                        || a[2] is not object?[] size || a[3] is not object?[] stride || size.Length != stride.Length)
                        throw Error(at, "REDUCE torch._utils._rebuild_tensor_v2 with unexpected arguments");
                    var shape = new int[size.Length];
                    var strides = new long[stride.Length];
                    for (int i = 0; i < size.Length; i++)
                    {
                        if (size[i] is not long s || s < 0 || s > int.MaxValue || stride[i] is not long st || st < 0)
                            throw Error(at, "tensor sizes and strides must be non-negative integers");
                        shape[i] = (int)s;
                        strides[i] = st;
                    }
                    return new PickledTensor(storage, offset, shape, strides);
                }
            case "torch._utils._rebuild_parameter":
                if (a.Length != 3 || a[0] is not PickledTensor tensor)
                    throw Error(at, "REDUCE torch._utils._rebuild_parameter with unexpected arguments");
                return tensor;
            default:
                throw Error(at, $"REDUCE on {g.FullName} is not allowed");
        }
    }

    /// <summary>Records a new tuple's nesting depth (one more than its deepest element), refusing beyond <see cref="MaxDepth"/>.</summary>
    private object?[] Nest(object?[] tuple, int at)
    {
        foreach (object? item in tuple)
            Contain(tuple, item, at);
        return tuple;
    }

    /// <summary>Notes that <paramref name="container"/> now holds <paramref name="item"/>, refusing nesting beyond <see cref="MaxDepth"/>.</summary>
    private void Contain(object container, object? item, int at)
    {
        int inner = item is not null && depths.TryGetValue(item, out int d) ? d : 0;
        if (inner + 1 > MaxDepth)
            throw Error(at, $"containers nested more than {MaxDepth} deep; a state dict needs a handful");
        if (!depths.TryGetValue(container, out int current) || current < inner + 1)
            depths[container] = inner + 1;
    }

    private object? CheckKey(object? key, int at) => key switch
    {
        string or long or bool or null => key,
        _ => throw Error(at, "dict keys must be strings or numbers"),
    };

    private PickledDict PeekDict(int at, string op)
    {
        if (stack.Count == 0 || stack[^1] is not PickledDict dict)
            throw Error(at, $"{op} target is not a dict");
        return dict;
    }

    private void Push(object? value, int at)
    {
        if (stack.Count >= MaxStack)
            throw Error(at, "pickle stack too deep");
        stack.Add(value);
    }

    private object? Pop(int at)
    {
        if (stack.Count == 0 || (marks.Count > 0 && stack.Count - 1 == marks.Peek()))
            throw Error(at, "stack underflow");
        object? v = stack[^1];
        stack.RemoveAt(stack.Count - 1);
        return v;
    }

    private List<object?> PopToMark(int at)
    {
        if (marks.Count == 0)
            throw Error(at, "no MARK on the stack");
        int m = marks.Pop();
        List<object?> items = stack.GetRange(m + 1, stack.Count - m - 1);
        stack.RemoveRange(m, stack.Count - m);
        return items;
    }

    private void Memoize(int index, int at)
    {
        if (index < 0 || index >= MaxMemo)
            throw Error(at, $"memo index {index} out of range");
        if (stack.Count == 0 || ReferenceEquals(stack[^1], Mark))
            throw Error(at, "PUT with nothing to store");
        memo[index] = stack[^1];
    }

    private object? MemoGet(int index, int at)
    {
        if (!memo.TryGetValue(index, out object? v))
            throw Error(at, $"GET of memo index {index} that was never stored");
        return v;
    }

    private ReadOnlySpan<byte> ReadBytes(long count, int at)
    {
        if (count > data.Length - pos)
            throw Error(at, $"the pickle is truncated: needs {count} more bytes at offset {pos}, only {data.Length - pos} remain");
        var span = new ReadOnlySpan<byte>(data, pos, (int)count);
        pos += (int)count;
        return span;
    }

    private string ReadString(long length, int at)
    {
        try
        {
            return new UTF8Encoding(false, true).GetString(ReadBytes(length, at));
        }
        catch (DecoderFallbackException ex)
        {
            throw Error(at, $"string is not valid UTF-8 ({ex.Message})");
        }
    }

    private string ReadLine(int at)
    {
        int end = Array.IndexOf(data, (byte)'\n', pos, Math.Min(256, data.Length - pos));
        if (end < 0 && data.Length - pos < 256)
            throw Error(at, "the pickle is truncated inside a GLOBAL name");
        if (end < 0)
            throw Error(at, "GLOBAL name is not newline-terminated within 256 bytes");
        string s = Encoding.ASCII.GetString(data, pos, end - pos);
        pos = end + 1;
        return s;
    }

    private WeightFormatException Error(int offset, string message) =>
        new($"{file}: pickle offset {offset}: {message}.");

    private static string OpcodeName(byte op)
    {
        string name = op switch
        {
            0x63 => "GLOBAL", 0x93 => "STACK_GLOBAL", 0x52 => "REDUCE", 0x81 => "NEWOBJ", 0x92 => "NEWOBJ_EX",
            0x69 => "INST", 0x6F => "OBJ", 0x62 => "BUILD", 0x95 => "FRAME", 0x61 => "APPEND", 0x8A => "LONG1",
            0x8B => "LONG4", 0x47 => "BINFLOAT", 0x46 => "FLOAT", 0x49 => "INT", 0x4C => "LONG", 0x53 => "STRING",
            0x54 => "BINSTRING", 0x55 => "SHORT_BINSTRING", 0x56 => "UNICODE", 0x42 => "BINBYTES",
            0x43 => "SHORT_BINBYTES", 0x50 => "PERSID", 0x67 => "GET", 0x70 => "PUT", 0x94 => "MEMOIZE",
            0x30 => "POP", 0x31 => "POP_MARK", 0x32 => "DUP", 0x64 => "DICT", 0x6C => "LIST", 0x8F => "EMPTY_SET",
            0x90 => "ADDITEMS", 0x91 => "FROZENSET", 0x82 => "EXT1", 0x83 => "EXT2", 0x84 => "EXT4",
            0x96 => "BYTEARRAY8", 0x97 => "NEXT_BUFFER", 0x98 => "READONLY_BUFFER",
            _ => "unknown",
        };
        return $"{name} (0x{op:X2})";
    }
}
