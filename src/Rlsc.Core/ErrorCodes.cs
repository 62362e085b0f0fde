namespace Rlsc.Core;

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
    /// <summary>An output path cannot be written: a file where a folder is expected or the reverse, under a file, or read-only.</summary>
    public const string OutputPathUnusable = "RLSC008";

    // Model, checkpoints, generation (010-019; 020-029 stay free for the tokenizer)
    /// <summary>A model's config.json is invalid: unsupported architecture, a missing field or a bad value.</summary>
    public const string ModelConfigInvalid = "RLSC010";
    /// <summary>A checkpoint file is corrupt (truncated, bad header, bad offsets, unknown dtype, size mismatch).</summary>
    public const string CheckpointCorrupt = "RLSC011";
    /// <summary>A checkpoint's tensors do not match the model: a missing or unexpected key, or a wrong shape.</summary>
    public const string CheckpointMismatch = "RLSC012";
    /// <summary>A checkpoint format that is refused (pickle `.bin`) or a folder without weights.</summary>
    public const string CheckpointUnsupported = "RLSC013";
    /// <summary>A model too large to materialise on this device without an explicit flag.</summary>
    public const string ModelTooLarge = "RLSC014";
    /// <summary>The model's logits or log-probabilities are NaN or infinite (weights hold NaN/Inf, or overflow); generation and scoring stop.</summary>
    public const string NonFiniteModelOutput = "RLSC015";

    // Tokenizer (020-029; 010-019 belong to the model and checkpoints)
    /// <summary>The tokenizer folder has no tokenizer.json.</summary>
    public const string TokenizerNotFound = "RLSC020";
    /// <summary>tokenizer.json or tokenizer_config.json is malformed or lacks a field; the error names file and field.</summary>
    public const string TokenizerInvalid = "RLSC021";
    /// <summary>The tokenizer uses a component (normalizer, pre-tokenizer, model, decoder) that is not implemented.</summary>
    public const string TokenizerUnsupported = "RLSC022";

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
    /// <summary>The output folder holds an unfinished generating evaluation (resume it with --resume), or --resume does not match it.</summary>
    public const string EvaluationInProgress = "RLSC038";
    /// <summary>Two evaluation summaries given to `rlsc report compare` cannot be compared: other kinds (greedy or k samples at T), suites or problems.</summary>
    public const string SummariesIncomparable = "RLSC039";

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
    /// <summary>The device ran out of memory during a training step.</summary>
    public const string TrainingOutOfMemory = "RLSC057";

    // Hugging Face hub (070-079)
    /// <summary>The repository or revision does not exist on the hub (or is private and no token was given).</summary>
    public const string HubRepoNotFound = "RLSC070";
    /// <summary>The hub refused access (HTTP 401/403): a gated or private repository; set HF_TOKEN.</summary>
    public const string HubUnauthorized = "RLSC071";
    /// <summary>Offline (HF_HUB_OFFLINE=1 or no network) and the model is not complete in the cache.</summary>
    public const string HubNotInCache = "RLSC072";
    /// <summary>A file the repository lists could not be fetched (HTTP 404 or another error status).</summary>
    public const string HubFileUnavailable = "RLSC073";
    /// <summary>The repository has no safetensors weights (only pickle .bin files, which are refused) or no config.json.</summary>
    public const string HubNoUsableCheckpoint = "RLSC074";
    /// <summary>A download failed after its retries; rerunning resumes it.</summary>
    public const string HubDownloadFailed = "RLSC075";
    /// <summary>--model is neither an existing folder nor a valid hub repository id.</summary>
    public const string HubInvalidModelId = "RLSC076";
    /// <summary>The hub's answer was malformed (API JSON, missing ETag, a safetensors index without weight_map).</summary>
    public const string HubBadResponse = "RLSC077";

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

    // Quality gate, continued (180-189)
    /// <summary>Quality gate: the summary is of a model that the thresholds key does not admit.</summary>
    public const string GateModelNotAdmitted = "RLSC180";
    /// <summary>Quality gate: the summary was not evaluated the way the gated metric needs (k, temperature), or lacks the metric or its interval.</summary>
    public const string GateMetricMismatch = "RLSC181";
    /// <summary>Quality gate: the paired test finds the model worse than its base, or does not show the required gain.</summary>
    public const string GatePairedTestFailed = "RLSC182";
    /// <summary>Quality gate: the paired test's inputs are missing or unusable (no --baseline, problems.jsonl, other problems).</summary>
    public const string GatePairedInputInvalid = "RLSC183";
    /// <summary>Warning: a suite's max_drop is below the smallest drop its data can detect with 80% power.</summary>
    public const string GateUnderpowered = "RLSC184";

    // MSBuild tasks (090-099): what only src/Rlsc.Tasks reports (errors that rlsc itself prints keep rlsc's code).
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

    // Platform: LibTorch outside the TorchSharp packages (100-109)
    /// <summary>External LibTorch mode: RLSC_LIBTORCH is unset, names a folder without LibTorch, or its libraries do not load.</summary>
    public const string LibTorchNotFound = "RLSC100";
    /// <summary>The libLibTorchSharp in use does not link against the external LibTorch (undefined symbols): build one for it.</summary>
    public const string LibTorchSharpMismatch = "RLSC101";

    // Unexpected failures (900-999): the CLI's last guard, never thrown by the runtime.
    /// <summary>An exception nobody anticipated (a bug): the CLI prints one line with the command, the file and the log holding the trace.</summary>
    public const string Unexpected = "RLSC900";

    // Blocks for the areas, so that codes never collide:
    // 010-029 model, checkpoints, tokenizer, generation; 030-049 evaluation; 050-069 training;
    // 070-079 Hugging Face hub; 080-089 quality gate; 090-099 reserved for the MSBuild tasks; 100-109 external LibTorch;
    // 900-999 unexpected failures.
}
