namespace Rlsc.Core.Config;

/// <summary>
/// A complete `rlsc sft` configuration: supervised fine-tuning on prompt/completion pairs with cross-entropy on
/// the completion tokens only, using the same optimizer, checkpoints, resume and progress machinery as RLSC.
/// </summary>
public sealed class SftConfig : IRunConfig
{
    public const string SchemaId = "rlsc.sft/v1";

    public string Schema { get; set; } = SchemaId;

    /// <summary>The model to train: a Hugging Face checkpoint folder or a hub id (required in practice).</summary>
    public string Model { get; set; } = "";

    /// <summary>The run folder.</summary>
    public string Output { get; set; } = "runs/sft";

    /// <summary>Seed of the example order and of adapter initialisation.</summary>
    public long Seed { get; set; } = 42;

    public TrainingDevice Device { get; set; } = TrainingDevice.Auto;
    public TrainingDType Dtype { get; set; } = TrainingDType.Auto;

    public SftDataOptions Data { get; set; } = new();
    public OptimizationOptions Optimizer { get; set; } = new();
    public SftTrainingOptions Training { get; set; } = new();
    public LoraOptions Lora { get; set; } = new();
}
