namespace Rlsc.Core.Config;

/// <summary>
/// AdamW, gradient clipping and the learning-rate schedule (section `optimizer` of a run configuration).
/// Shared by `rlsc finetune` and `rlsc sft`.
/// </summary>
public sealed class OptimizationOptions
{
    /// <summary>Peak learning rate. 1e-5: the paper's value for Qwen2.5-Math-7B and 1.5B.</summary>
    public double LearningRate { get; set; } = 1e-5;

    /// <summary>
    /// Decoupled weight decay. The paper says "standard"; 0.01 is the value of the unofficial re-implementation
    /// and of PyTorch's AdamW default.
    /// </summary>
    public double WeightDecay { get; set; } = 0.01;

    /// <summary>Adam's first-moment decay (PyTorch's default).</summary>
    public double Beta1 { get; set; } = 0.9;

    /// <summary>Adam's second-moment decay (PyTorch's default).</summary>
    public double Beta2 { get; set; } = 0.999;

    /// <summary>Adam's denominator epsilon (PyTorch's default).</summary>
    public double Epsilon { get; set; } = 1e-8;

    /// <summary>
    /// Clip the global gradient L2 norm to this value before each update; 0 turns clipping off (the norm is still
    /// measured and logged). Not stated by the paper; 1.0 is the usual default of RL fine-tuning libraries and
    /// protects the few-step run from one outlier question.
    /// </summary>
    public double MaxGradNorm { get; set; } = 1.0;

    /// <summary>Steps of linear warm-up from 0 to the peak learning rate. 0: the paper uses none.</summary>
    public int WarmupSteps { get; set; }

    /// <summary>Schedule after the warm-up: constant (the paper states none), linear or cosine decay.</summary>
    public LearningRateSchedule Schedule { get; set; } = LearningRateSchedule.Constant;

    /// <summary>For linear and cosine: the learning rate at the last step, as a fraction of the peak.</summary>
    public double FinalLearningRateRatio { get; set; }
}
