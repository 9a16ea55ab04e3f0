using System.Runtime.ExceptionServices;

namespace KernelGen.Backends.Cpu;

/// <summary>
/// Runs the dispatches of one CPU stream on a thread of its own, so that the caller can stop waiting
/// after the device's <see cref="GpuDevice.WaitTimeout"/>: a kernel that never returns (an endless loop)
/// or a grid too large to finish cannot hold the caller. On a timeout the dispatch's cancellation is
/// signalled (no new workgroup starts) and the caller gets <see cref="GpuTimeoutException"/>; an
/// invocation that never returns keeps its thread, which is abandoned (C# cannot stop a running method).
/// </summary>
internal sealed class CpuDispatcher : IDisposable
{
    private readonly SemaphoreSlim start = new(0);
    private readonly ManualResetEventSlim finished = new(false);
    private Action<CancellationToken>? work;
    private CancellationTokenSource? cancel;
    private Exception? failure;
    private Thread? thread;
    private volatile bool stopping;
    private bool abandoned;
    private bool inline;

    /// <summary>Runs <paramref name="dispatch"/> on the dispatcher's thread and waits for it at most <paramref name="timeout"/>.</summary>
    /// <exception cref="GpuTimeoutException">The dispatch did not finish in time; the dispatcher is then unusable.</exception>
    public void Run(Action<CancellationToken> dispatch, TimeSpan timeout, string what)
    {
        if (abandoned) throw new InvalidOperationException("The CPU stream's dispatch thread was abandoned after a timeout.");
        if (!inline && thread is null)
        {
            try
            {
                thread = StartThread();
            }
            catch (PlatformNotSupportedException)
            {
                // Single-threaded .NET WebAssembly (the browser page's CPU fallback) cannot start threads: run on the
                // caller's thread. Nothing can interrupt it there, so the timeout does not apply on such a platform.
                inline = true;
            }
        }
        if (inline)
        {
            dispatch(CancellationToken.None);
            return;
        }
        using var source = new CancellationTokenSource();
        cancel = source;
        work = dispatch;
        failure = null;
        finished.Reset();
        start.Release();
        if (!finished.Wait(timeout))
        {
            source.Cancel();
            abandoned = true;
            throw new GpuTimeoutException($"Timed out after {timeout.TotalSeconds:0.###} s waiting for {what} on the CPU backend. " +
                "The kernel did not finish in time (a very long kernel, an endless loop in a kernel, or a grid too large for the CPU); " +
                "its workgroups were cancelled and the device is lost. Raise GpuDevice.WaitTimeout (or GpuDeviceOptions.WaitTimeout) if the work is legitimately long.");
        }
        cancel = null;
        if (failure is { } e) ExceptionDispatchInfo.Capture(e).Throw();
    }

    private Thread StartThread()
    {
        var t = new Thread(Loop) { IsBackground = true, Name = "KernelGen CPU stream" };
        t.Start();
        return t;
    }

    private void Loop()
    {
        while (true)
        {
            start.Wait();
            if (stopping) return;
            try
            {
                work!(cancel!.Token);
            }
            catch (Exception e)
            {
                failure = e;
            }
            work = null;
            finished.Set();
        }
    }

    public void Dispose()
    {
        stopping = true;
        if (thread is null) return;
        start.Release();
        // Not joined: after a timeout the thread may never come back. The handles stay for it (tiny, collected with it).
    }
}
