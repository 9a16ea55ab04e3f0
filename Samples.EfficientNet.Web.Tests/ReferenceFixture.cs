using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json;

namespace KernelGen.Samples.EfficientNet.Web.Tests;

/// <summary>The PyTorch reference (../shared/fixtures/efficientnet_b0): inputs, logits, class names; read here, independently of the page.</summary>
internal sealed class ReferenceFixture
{
    public const int Classes = 1000;
    public const int Side = 224;

    private ReferenceFixture(float[] inputs, float[] logits, string[] classes)
    {
        Inputs = inputs;
        Logits = logits;
        ClassNames = classes;
    }

    public static string Weights => Path.Combine(PageFixture.FixtureDir, "weights.f16.safetensors");

    public static string ReferenceIo => Path.Combine(PageFixture.FixtureDir, "reference_io.safetensors");

    public float[] Inputs { get; }

    public float[] Logits { get; }

    public string[] ClassNames { get; }

    public int Images => Logits.Length / Classes;

    public static ReferenceFixture Load()
    {
        foreach (var f in new[] { Weights, ReferenceIo })
            if (!File.Exists(f)) throw new FileNotFoundException($"The EfficientNet fixture is missing: {f} (tests read it from ../shared).", f);
        var bytes = File.ReadAllBytes(ReferenceIo);
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        using var header = JsonDocument.Parse(bytes.AsMemory(8, headerLength));
        var dataStart = 8 + headerLength;
        float[] Tensor(string name, string dtype)
        {
            var t = header.RootElement.GetProperty(name);
            Assert.Equal(dtype, t.GetProperty("dtype").GetString());
            var offsets = t.GetProperty("data_offsets").EnumerateArray().Select(o => o.GetInt32()).ToArray();
            var raw = bytes.AsSpan(dataStart + offsets[0], offsets[1] - offsets[0]);
            return dtype == "F32"
                ? System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(raw).ToArray()
                : System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Half>(raw).ToArray().Select(h => (float)h).ToArray();
        }
        var classes = File.ReadAllLines(Path.Combine(PageFixture.FixtureDir, "imagenet_classes.txt")).Where(l => l.Length > 0).ToArray();
        return new ReferenceFixture(Tensor("input", "F16"), Tensor("logits", "F32"), classes);
    }

    public int Top1(int image) => ArgMax(Logits.AsSpan(image * Classes, Classes));

    /// <summary>Top-1 minus top-2 logit of a reference image: how far quantising its pixels may move it without changing the answer.</summary>
    public float Margin(int image)
    {
        var row = Logits.AsSpan(image * Classes, Classes).ToArray();
        Array.Sort(row);
        return row[^1] - row[^2];
    }

    public static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }

    /// <summary>
    /// A 256 x 256 PNG whose centre 224 x 224 is reference image <paramref name="image"/> un-normalised to 8-bit RGB:
    /// torchvision's Resize(256) leaves a 256-pixel square as it is and CenterCrop(224) cuts that centre back out, so the
    /// page's preprocessing recovers the reference input up to 8-bit rounding.
    /// </summary>
    public byte[] ToPng(int image)
    {
        ReadOnlySpan<float> mean = [0.485f, 0.456f, 0.406f];
        ReadOnlySpan<float> std = [0.229f, 0.224f, 0.225f];
        const int size = 256, border = (size - Side) / 2;
        var rgb = new byte[size * size * 3];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var sy = Math.Clamp(y - border, 0, Side - 1);
                var sx = Math.Clamp(x - border, 0, Side - 1);
                for (var c = 0; c < 3; c++)
                {
                    var v = Inputs[((image * 3 + c) * Side + sy) * Side + sx] * std[c] + mean[c];
                    rgb[(y * size + x) * 3 + c] = (byte)Math.Clamp(MathF.Round(v * 255f), 0, 255);
                }
            }
        }
        return Png.Encode(rgb, size, size);
    }
}
