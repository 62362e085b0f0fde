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

    // Training (050-069)
    /// <summary>The output folder already holds a run; pass --resume to continue it or choose another --output.</summary>
    public const string RunFolderInUse = "RLSC050";
    /// <summary>--resume was given a configuration that differs from the run's saved config.json.</summary>
    public const string ResumeConfigMismatch = "RLSC051";
    /// <summary>A checkpoint folder is incomplete or was not written by rlsc (trainer state or optimizer state missing).</summary>
    public const string CheckpointUnreadable = "RLSC052";
    /// <summary>The loss or the gradients became NaN or infinite; the run stopped and kept its last good checkpoint.</summary>
    public const string TrainingDiverged = "RLSC053";
    /// <summary>The configured device (cuda) is not available on this machine.</summary>
    public const string TrainingDeviceUnavailable = "RLSC054";
    /// <summary>LoRA found none of the configured target projections in the model.</summary>
    public const string LoraTargetsNotFound = "RLSC055";
    /// <summary>A training sequence is longer than the model's context window.</summary>
    public const string SequenceTooLong = "RLSC056";

    // Blocks for the areas, so that codes never collide:
    // 010-029 model, checkpoints, tokenizer, generation; 030-049 evaluation; 050-069 training;
    // 070-079 Hugging Face hub; 080-089 quality gate; 090-099 reserved for the MSBuild tasks.
}
