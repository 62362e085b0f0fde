namespace Rlsc.Core.Evaluation.Runner;

/// <summary>
/// Where a generator's model ran and in what precision, recorded in summary.json's settings: beside the decoding, the
/// seed and the batch size, what decides the sampled responses bit for bit, so that an evaluation is reused only
/// where it was made alike (<see cref="ReusableEvaluation"/>).
/// </summary>
/// <param name="Device">"cpu", or "cuda:N".</param>
/// <param name="Dtype">The weights' dtype: "float32", "bfloat16" or "float16".</param>
/// <param name="Tf32">On CUDA, whether float32 matmuls ran in TF32 (the fine-tune's evaluation does, rlsc eval does not); null on the CPU.</param>
public sealed record GenerationPlacement(string Device, string Dtype, bool? Tf32);
