using System.Runtime.ExceptionServices;

namespace KernelGen.Backends.Cpu;

/// <summary>
/// Runs kernels with barriers on the CPU. Each invocation of a workgroup needs its own stack (it stops
/// in the middle of the C# method at <see cref="Workgroup.Barrier"/>), so it gets its own thread; the
/// threads live as long as the device. Within a workgroup exactly one invocation runs at a time and
/// hands a baton to the next at each barrier (<see cref="CpuWorkgroupBaton"/>): a valid WGSL schedule,
/// with no spinning and no thundering herd however many invocations share few cores. Several
/// workgroups ("lanes", one per core) run in parallel.
/// </summary>
internal sealed class CpuBarrierWorkers : IDisposable
{
    /// <summary>Most threads kept for barrier execution.</summary>
    public const int MaxThreads = 2048;

    private readonly Lock gate = new();
    private readonly int parallelism;
    private Pool? pool;

    public CpuBarrierWorkers(int parallelism) => this.parallelism = Math.Max(1, parallelism);

    /// <summary>Runs every workgroup of the dispatch; rethrows the first exception an invocation threw.</summary>
    public void Run(KernelInfo kernel, CpuDispatchData data, WorkgroupCount groups, long total, CancellationToken cancel = default)
    {
        var size = kernel.InvocationsPerWorkgroup;
        lock (gate)
        {
            if (pool is null || pool.PerLane < size)
            {
                var perLane = Math.Max(size, pool?.PerLane ?? 0);
                pool?.Dispose();
                pool = new Pool(Math.Max(1, Math.Min(parallelism, MaxThreads / perLane)), perLane);
            }
            pool.Run(kernel, data, groups, total, cancel);
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            pool?.Dispose();
            pool = null;
        }
    }

    private sealed class Pool : IDisposable
    {
        private readonly SemaphoreSlim[] wake;
        private readonly Thread[] threads;
        private Job? job;
        private volatile bool stopping;

        public Pool(int lanes, int perLane)
        {
            Lanes = lanes;
            PerLane = perLane;
            wake = new SemaphoreSlim[lanes * perLane];
            threads = new Thread[lanes * perLane];
            for (var i = 0; i < threads.Length; i++)
            {
                wake[i] = new SemaphoreSlim(0);
                var index = i;
                threads[i] = new Thread(() => Work(index), maxStackSize: 256 * 1024) { IsBackground = true, Name = "KernelGen CPU invocation" };
                threads[i].Start();
            }
        }

        public int Lanes { get; }

        public int PerLane { get; }

        public void Run(KernelInfo kernel, CpuDispatchData data, WorkgroupCount groups, long total, CancellationToken cancel)
        {
            var size = kernel.InvocationsPerWorkgroup;
            var lanes = (int)Math.Min(Lanes, total);
            var batons = new CpuWorkgroupBaton[lanes];
            for (var l = 0; l < lanes; l++) batons[l] = new CpuWorkgroupBaton(size, CpuKernelRunner.AllocateShared(kernel), hasNext: g => g + lanes < total, data.SubgroupSize);
            using var done = new CountdownEvent(lanes * size);
            var current = new Job(kernel, data, groups, total, lanes, batons, done);
            job = current;
            // A timeout (runtime): stop every lane at its next barrier or workgroup, as a failure does.
            using var stop = cancel.Register(() => { foreach (var b in batons) b.Stop(); });
            for (var l = 0; l < lanes; l++)
            {
                batons[l].Start();
                for (var t = 0; t < size; t++) wake[l * PerLane + t].Release();
            }
            done.Wait(CancellationToken.None); // the batons stop on cancel; every lane still signals done
            job = null;
            foreach (var b in batons) b.Dispose();
            if (current.Failure != null) ExceptionDispatchInfo.Capture(current.Failure).Throw();
        }

        private void Work(int index)
        {
            var lane = index / PerLane;
            var local = index % PerLane;
            while (true)
            {
                wake[index].Wait();
                if (stopping) return;
                var j = job!;
                var baton = j.Batons[lane];
                baton.Enter();
                try
                {
                    for (long g = lane; g < j.Total; g += j.Lanes)
                    {
                        if (!baton.AwaitTurnAtStart(local)) break;
                        try
                        {
                            if (!baton.Stopped) CpuKernelRunner.Invoke(j.Kernel, j.Data, baton.Shared, j.Groups, g, local);
                        }
                        catch (OperationCanceledException) when (baton.Stopped)
                        {
                            // Another invocation failed; its exception is the one reported.
                        }
                        catch (Exception e)
                        {
                            j.Fail(e);
                            foreach (var b in j.Batons) b.Stop();
                        }
                        baton.Finish(local, g);
                    }
                }
                finally
                {
                    CpuWorkgroupBaton.Exit();
                    j.Done.Signal();
                }
            }
        }

        public void Dispose()
        {
            stopping = true;
            foreach (var w in wake) w.Release();
            foreach (var t in threads) t.Join();
            foreach (var w in wake) w.Dispose();
        }
    }

    private sealed class Job(KernelInfo kernel, CpuDispatchData data, WorkgroupCount groups, long total, int lanes,
        CpuWorkgroupBaton[] batons, CountdownEvent done)
    {
        private Exception? failure;

        public KernelInfo Kernel => kernel;

        public CpuDispatchData Data => data;

        public WorkgroupCount Groups => groups;

        public long Total => total;

        public int Lanes => lanes;

        public CpuWorkgroupBaton[] Batons => batons;

        public CountdownEvent Done => done;

        public Exception? Failure => failure;

        public void Fail(Exception e) => Interlocked.CompareExchange(ref failure, e, null);
    }
}

/// <summary>
/// One lane's scheduler: the invocations of the lane's current workgroup run one at a time, in local
/// index order, and pass the turn on at each barrier; the last invocation to reach a barrier wakes the
/// first again for the next phase. An invocation that returns leaves the rotation. When every
/// invocation has returned, the next workgroup of the lane starts (with cleared shared memory).
/// </summary>
internal sealed class CpuWorkgroupBaton : CpuWorkgroupSync, IDisposable
{
    private readonly Lock gate = new();
    private readonly int size;
    private readonly byte[][] shared;
    private readonly Func<long, bool> hasNext;
    private readonly CpuTurn[] turn;
    private readonly bool[] finished;
    private int active;
    private volatile bool stopped;
    private volatile bool aborted;
    [ThreadStatic] private static int currentLocal;

    // Subgroup operations: what each invocation handed to its latest one, and how many it has reached in this
    // workgroup (an invocation that returned early has a lower count: it is inactive for the others).
    private readonly int subgroupSize;
    private readonly object?[] subgroupValues;
    private readonly int[] subgroupOps;

    public CpuWorkgroupBaton(int size, byte[][] shared, Func<long, bool> hasNext, int subgroupSize = CpuSubgroups.DefaultSize)
    {
        this.subgroupSize = subgroupSize;
        subgroupValues = new object?[size];
        subgroupOps = new int[size];
        this.size = size;
        this.shared = shared;
        this.hasNext = hasNext;
        turn = new CpuTurn[size];
        for (var i = 0; i < size; i++) turn[i] = new CpuTurn();
        finished = new bool[size];
        active = size;
    }

    /// <summary>Workgroup-shared arrays of the lane's current workgroup.</summary>
    public byte[][] Shared => shared;

    /// <summary>True once an invocation of the dispatch failed.</summary>
    public bool Stopped => stopped;

    public void Enter() => Current = this;

    public static void Exit() => Current = null;

    /// <summary>Lets invocation 0 of the first workgroup run.</summary>
    public void Start() => turn[0].Give();

    /// <summary>Stops the lane after a failure: barriers throw, and no further workgroup starts.</summary>
    public void Stop() => stopped = true;

    /// <summary>Waits until the invocation may start its workgroup; false when the lane was aborted.</summary>
    public bool AwaitTurnAtStart(int local)
    {
        if (aborted) return false;
        turn[local].Take();
        currentLocal = local;
        subgroupOps[local] = 0;
        return !aborted;
    }

    // One invocation runs at a time and the turn goes round in local index order, so after the first barrier every
    // invocation still running has written its value, and after the second every one has read the others'.
    internal override CpuSubgroupLanes<T> GatherSubgroup<T>(T value)
    {
        var local = currentLocal;
        var op = ++subgroupOps[local];
        subgroupValues[local] = value;
        Barrier();
        var first = local / subgroupSize * subgroupSize;
        var count = Math.Min(subgroupSize, size - first);
        var values = new T[count];
        var active = new bool[count];
        for (var i = 0; i < count; i++)
        {
            if (subgroupOps[first + i] != op || subgroupValues[first + i] is not T v) continue;
            values[i] = v;
            active[i] = true;
        }
        Barrier();
        return new CpuSubgroupLanes<T>(values, active, local - first);
    }

    public override void Barrier()
    {
        var local = currentLocal;
        int next;
        lock (gate) next = NextActive(local);
        if (next == local) return; // the only invocation left: nothing to wait for
        turn[next].Give();
        turn[local].Take();
        if (stopped) throw new OperationCanceledException("Another invocation of the dispatch failed.");
    }

    /// <summary>The invocation returned from workgroup <paramref name="group"/>: pass the turn, or start the next workgroup.</summary>
    public void Finish(int local, long group)
    {
        lock (gate)
        {
            finished[local] = true;
            active--;
            if (active > 0)
            {
                turn[NextActive(local)].Give();
                return;
            }
            if (!hasNext(group)) return;
            if (stopped)
            {
                // Everyone else waits at the start of the next workgroup: wake them to leave.
                aborted = true;
                for (var i = 0; i < size; i++)
                    if (i != local) turn[i].Give();
                return;
            }
            Array.Clear(finished);
            active = size;
            CpuKernelRunner.ClearShared(shared);
            turn[0].Give();
        }
    }

    /// <summary>The next invocation after <paramref name="local"/> in rotation order that has not returned (itself if none).</summary>
    private int NextActive(int local)
    {
        for (var step = 1; step <= size; step++)
        {
            var candidate = (local + step) % size;
            if (!finished[candidate]) return candidate;
        }
        return local;
    }

    public void Dispose() { }
}

/// <summary>
/// A one-slot hand-off between threads that blocks at once (Monitor) instead of spinning: SemaphoreSlim
/// spins and then sleeps a millisecond, which made every baton pass cost 1 ms.
/// </summary>
internal sealed class CpuTurn
{
    private readonly object gate = new();
    private bool given;

    public void Give()
    {
        lock (gate)
        {
            given = true;
            Monitor.Pulse(gate);
        }
    }

    public void Take()
    {
        lock (gate)
        {
            while (!given) Monitor.Wait(gate);
            given = false;
        }
    }
}
