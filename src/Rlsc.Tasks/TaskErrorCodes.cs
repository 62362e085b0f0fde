namespace Rlsc.Tasks;

/// <summary>
/// Error codes that only the MSBuild tasks report (block 090-099 of <c>Rlsc.ErrorCodes</c>, which lists them
/// too; the task assembly cannot reference Rlsc.Runtime, which loads TorchSharp). Errors that rlsc itself
/// prints keep rlsc's own code. Stable: never reuse or renumber; docs/errors.md has the table.
/// </summary>
internal static class TaskErrorCodes
{
    /// <summary>The rlsc tool was not found (RlscToolPath, a local tool manifest, PATH).</summary>
    public const string ToolNotFound = "RLSC090";
    /// <summary>A task parameter is missing, malformed or out of range.</summary>
    public const string InvalidParameter = "RLSC091";
    /// <summary>A file or folder that a task parameter names does not exist.</summary>
    public const string InputNotFound = "RLSC092";
    /// <summary>rlsc failed (non-zero exit) without printing an error of its own.</summary>
    public const string ToolFailed = "RLSC093";
    /// <summary>rlsc succeeded but a file it promises (summary.json, the checkpoint) is missing.</summary>
    public const string OutputMissing = "RLSC094";
    /// <summary>The build was cancelled and rlsc did not stop within the grace period, so it was killed.</summary>
    public const string KilledAfterCancel = "RLSC095";
}
