namespace Rlsc.Core.Config;

// Enumerations of the run configuration. In JSON they are written in snake_case ("paper", "bfloat16");
// an unknown value is an error that lists the accepted ones (IO/SnakeCaseEnumConverter, in RlscJson).

/// <summary>How the weight w(y) of a sampled completion is computed from p_old(y|x).</summary>
public enum Weighting
{
    /// <summary>w = exp(log p_old(y|x)): the paper's L1/L2 exactly as written.</summary>
    Paper,
    /// <summary>w = softmax over the N samples' sequence log-probs (sums to 1 over the N samples).</summary>
    Normalized,
}

/// <summary>How per-sample (or per-question) losses are combined.</summary>
public enum Reduction
{
    /// <summary>Average: the loss scale (and so the useful learning rate) does not depend on N.</summary>
    Mean,
    /// <summary>Sum: the paper's L1/L2 written as sums over y.</summary>
    Sum,
}

/// <summary>Learning-rate schedule after the warm-up.</summary>
public enum LearningRateSchedule
{
    Constant,
    Linear,
    Cosine,
}

/// <summary>Where the model runs.</summary>
public enum TrainingDevice
{
    /// <summary>CUDA when a GPU is available, else CPU.</summary>
    Auto,
    Cpu,
    Cuda,
}

/// <summary>Precision of the model's weights during training.</summary>
public enum TrainingDType
{
    /// <summary>float32, except bfloat16 for the frozen base weights of a LoRA run on CUDA.</summary>
    Auto,
    Float32,
    Bfloat16,
}
