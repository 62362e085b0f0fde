namespace Rlsc.Runtime.Training.Loop;

/// <summary>
/// An IProgress that calls its handler at once, on the reporting thread (System.Progress posts to the thread
/// pool, so a late "sampling" report could overwrite the display of a finished step).
/// </summary>
sealed class SyncProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
