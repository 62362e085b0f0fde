using System.Runtime.InteropServices;

namespace Rlsc.Runtime.Training.Loop;

/// <summary>
/// Turns Ctrl+C (SIGINT), SIGTERM (a cancelled CI job) and SIGQUIT into a cancellation request: the first signal
/// is caught, so the trainer can abandon the current step, save and exit 130; a second one is not caught and
/// ends the process at once (checkpoints are written atomically, so that is still safe).
/// A second signal within <see cref="DuplicateWindow"/> of the first is taken as the same request and ignored:
/// a Ctrl+C in a terminal reaches rlsc directly AND through the build tool that started it (MSBuild, Cake).
/// </summary>
public sealed class InterruptSignal : IDisposable
{
    readonly CancellationTokenSource source = new();
    readonly List<PosixSignalRegistration> registrations = [];
    readonly Action<string>? notify;
    int received;
    long firstSignalTicks;

    /// <summary>How long after the first signal another one counts as a duplicate rather than "stop at once".</summary>
    public static readonly TimeSpan DuplicateWindow = TimeSpan.FromSeconds(2);

    InterruptSignal(Action<string>? notify) => this.notify = notify;

    public CancellationToken Token => source.Token;

    /// <param name="notify">Called once, at the first signal, with a message for the user.</param>
    public static InterruptSignal Register(Action<string>? notify = null)
    {
        var signal = new InterruptSignal(notify);
        foreach (var posix in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGQUIT })
        {
            try
            {
                signal.registrations.Add(PosixSignalRegistration.Create(posix, signal.Handle));
            }
            catch (PlatformNotSupportedException)
            {
                // SIGQUIT does not exist on Windows; SIGINT and SIGTERM do.
            }
        }
        return signal;
    }

    void Handle(PosixSignalContext context)
    {
        if (Interlocked.Increment(ref received) > 1)
        {
            // A duplicate of the first request: keep saving. A later one: default action, the process ends.
            if (Environment.TickCount64 - Interlocked.Read(ref firstSignalTicks) < (long)DuplicateWindow.TotalMilliseconds)
                context.Cancel = true;
            return;
        }
        Interlocked.Exchange(ref firstSignalTicks, Environment.TickCount64);
        context.Cancel = true;
        notify?.Invoke($"{context.Signal} received: stopping after saving a checkpoint (send it again to stop at once).");
        source.Cancel();
    }

    /// <summary>Cancels as a signal would (tests and embedding hosts).</summary>
    public void Trigger() => source.Cancel();

    public void Dispose()
    {
        foreach (var r in registrations) r.Dispose();
        source.Dispose();
    }
}
