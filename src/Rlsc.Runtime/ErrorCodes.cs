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

    // Evaluation (030-049)
    /// <summary>A suite manifest (eval-suites/*.json) is malformed or invalid; the message names the file and field.</summary>
    public const string SuiteManifestInvalid = "RLSC030";
    /// <summary>No suite manifest has the name that was asked for; the message lists the known suites.</summary>
    public const string SuiteNotFound = "RLSC031";
    /// <summary>A suite's data file has a malformed line, a missing field or no gold answer; names file and line.</summary>
    public const string SuiteDataInvalid = "RLSC032";
    /// <summary>A suite has no problems, or not the number its manifest promises.</summary>
    public const string SuiteCountMismatch = "RLSC033";
    /// <summary>A predictions file (rlsc eval --predictions) has a malformed line or an index out of range; names file and line.</summary>
    public const string PredictionsInvalid = "RLSC034";
    /// <summary>An evaluation summary.json is unreadable, of another schema version, or inconsistent.</summary>
    public const string SummaryInvalid = "RLSC035";
    /// <summary>Evaluation outputs to merge do not fit together (different settings, overlapping or missing shards).</summary>
    public const string ShardsInconsistent = "RLSC036";
    /// <summary>An `rlsc grade` input line is malformed or lacks gold/pred; names file and line.</summary>
    public const string GradeInputInvalid = "RLSC037";

    // Blocks for the areas, so that codes never collide:
    // 010-029 model, checkpoints, tokenizer, generation; 030-049 evaluation; 050-069 training;
    // 070-079 Hugging Face hub; 080-089 quality gate; 090-099 reserved for the MSBuild tasks.
}
