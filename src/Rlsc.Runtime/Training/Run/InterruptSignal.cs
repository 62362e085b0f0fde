using System.Runtime.InteropServices;

namespace Rlsc.Training;

/// <summary>
/// Turns Ctrl+C (SIGINT), SIGTERM (a cancelled CI job) and SIGQUIT into a cancellation request: the first signal
/// is caught, so the trainer can abandon the current step, save and exit 130; a second one is not caught and
/// ends the process at once (checkpoints are written atomically, so that is still safe).
/// </summary>
public sealed class InterruptSignal : IDisposable
{
    readonly CancellationTokenSource source = new();
    readonly List<PosixSignalRegistration> registrations = [];
    readonly Action<string>? notify;
    int received;

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
        if (Interlocked.Increment(ref received) > 1) return;   // second signal: default action, the process ends
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
