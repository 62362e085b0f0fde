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

    // Quality gate (080-089)
    /// <summary>A suite's accuracy is below its minimum (thresholds file).</summary>
    public const string GateBelowThreshold = "RLSC080";
    /// <summary>A suite's accuracy dropped from its golden result by more than max_drop.</summary>
    public const string GateDropTooLarge = "RLSC081";
    /// <summary>A suite the gate requires is missing from the report, or was evaluated on fewer questions than expected.</summary>
    public const string GateSuiteMissing = "RLSC082";
    /// <summary>The evaluation summary the gate reads does not exist or cannot be read.</summary>
    public const string GateReportMissing = "RLSC083";
    /// <summary>The evaluation summary is not valid JSON or a field has the wrong type or range.</summary>
    public const string GateReportCorrupt = "RLSC084";
    /// <summary>The evaluation summary's schema is not the one the gate reads (rlsc.eval.summary/v1).</summary>
    public const string GateSchemaMismatch = "RLSC085";
    /// <summary>The evaluation summary is stale: older than its checkpoint or the maximum age, or from another run.</summary>
    public const string GateReportStale = "RLSC086";
    /// <summary>A thresholds file is invalid or no thresholds exist for the model.</summary>
    public const string GateThresholdsInvalid = "RLSC087";
    /// <summary>The golden snapshot of the per-suite results is missing or differs.</summary>
    public const string GateSnapshotMismatch = "RLSC088";
    /// <summary>Warning: a suite's thresholds are pending measurement, so only its presence is checked.</summary>
    public const string GateThresholdsPending = "RLSC089";

    // Blocks for the areas, so that codes never collide:
    // 010-029 model, checkpoints, tokenizer, generation; 030-049 evaluation; 050-069 training;
    // 070-079 Hugging Face hub; 080-089 quality gate; 090-099 reserved for the MSBuild tasks.
}
