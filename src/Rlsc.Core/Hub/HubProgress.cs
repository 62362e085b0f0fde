namespace Rlsc.Core.Hub;

/// <summary>What a hub download is doing, for progress bars and log lines.</summary>
public enum HubProgressKind
{
    /// <summary>Asking the hub which commit the revision is and which files it has.</summary>
    Resolving,
    /// <summary>A file is already in the cache.</summary>
    FileCached,
    /// <summary>A download starts (Bytes: how much an interrupted earlier attempt left, resumed from there).</summary>
    FileStarted,
    /// <summary>Bytes of the current file so far.</summary>
    FileProgress,
    /// <summary>A file was downloaded and verified.</summary>
    FileDone,
    /// <summary>A transfer broke and is retried from where it stopped (Message says why).</summary>
    Retrying,
    /// <summary>Something the user should know (custom code ignored, the cache used because the hub is unreachable).</summary>
    Warning,
}

/// <param name="Kind">What happened.</param>
/// <param name="File">The repository file concerned, when there is one.</param>
/// <param name="Bytes">Bytes of the file done so far.</param>
/// <param name="TotalBytes">Its size, when the hub said.</param>
/// <param name="Message">For warnings and retries.</param>
public sealed record HubProgress(HubProgressKind Kind, string? File = null, long Bytes = 0, long? TotalBytes = null, string? Message = null);
