namespace Rlsc.Core.Config;

/// <summary>
/// A complete `rlsc finetune` run configuration: one JSON file (snake_case keys, every key optional) whose
/// defaults reproduce the paper's setup (Qwen2.5-Math-7B, AIME 2024 questions, 16 samples at temperature 0.5,
/// alpha 0.1, 10 steps, 3072 new tokens, AdamW at 1e-5). Command-line flags override single values; the
/// effective configuration is saved as config.json in the run folder. docs/training.md documents every option.
/// </summary>
public sealed class FineTuneConfig : IRunConfig
{
    public const string SchemaId = "rlsc.finetune/v1";

    /// <summary>Schema of this file; only rlsc.finetune/v1 exists.</summary>
    public string Schema { get; set; } = SchemaId;

    /// <summary>The model to fine-tune: a Hugging Face checkpoint folder or a hub id.</summary>
    public string Model { get; set; } = "Qwen/Qwen2.5-Math-7B";

    /// <summary>The run folder (config, metrics, samples, checkpoints, summary).</summary>
    public string Output { get; set; } = "runs/rlsc";

    /// <summary>Seed of everything random: data order, sampling, adapter initialisation.</summary>
    public long Seed { get; set; } = 42;

    /// <summary>auto (CUDA when available, else CPU), cpu or cuda.</summary>
    public TrainingDevice Device { get; set; } = TrainingDevice.Auto;

    /// <summary>
    /// auto, float32 or bfloat16. Trained weights are kept in float32: at lr 1e-5 an update is far below
    /// bfloat16's resolution (2^-8 relative) and would round away. bfloat16 is therefore only accepted for the
    /// frozen base weights of a LoRA run; auto picks it for LoRA on CUDA and float32 otherwise.
    /// </summary>
    public TrainingDType Dtype { get; set; } = TrainingDType.Auto;

    public FineTuneDataOptions Data { get; set; } = new();
    public FineTuneSamplingOptions Sampling { get; set; } = new();
    public RlscLossOptions Loss { get; set; } = new();
    public OptimizationOptions Optimizer { get; set; } = new();
    public FineTuneTrainingOptions Training { get; set; } = new();
    public LoraOptions Lora { get; set; } = new();
    public FineTuneEvaluationOptions Evaluation { get; set; } = new();
}
