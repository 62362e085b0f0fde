namespace Rlsc;

/// <summary>
/// Stable error codes. Scripts, the MSBuild tasks and the documentation (docs/errors.md) depend on
/// them: never reuse or renumber a code; add new ones at the end of their block.
/// </summary>
public static class ErrorCodes
{
    // General (001-009)
    /// <summary>An argument or configuration value is invalid.</summary>
    public const string InvalidArgument = "RLSC001";
    /// <summary>A file or folder that was named does not exist.</summary>
    public const string FileNotFound = "RLSC002";
    /// <summary>A data file (JSON, JSONL) is malformed; the error names file and line.</summary>
    public const string MalformedData = "RLSC003";
    /// <summary>The run was interrupted (Ctrl+C, SIGTERM); it can be resumed.</summary>
    public const string Interrupted = "RLSC004";
    /// <summary>TorchSharp or its native library could not be loaded.</summary>
    public const string TorchUnavailable = "RLSC005";
    /// <summary>A file's sha256 differs from the published one.</summary>
    public const string ChecksumMismatch = "RLSC006";
    /// <summary>A download from a public source failed.</summary>
    public const string DownloadFailed = "RLSC007";

    // MSBuild tasks (090-099); mirrored in src/Rlsc.Tasks/TaskErrorCodes.cs (the tasks never reference this assembly).
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

    // Blocks for the areas, so that codes never collide:
    // 010-029 model, checkpoints, tokenizer, generation; 030-049 evaluation; 050-069 training;
    // 070-079 Hugging Face hub; 080-089 quality gate; 090-099 reserved for the MSBuild tasks.
}
