using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Rlsc.Core;
using Rlsc.Core.Config;

namespace Rlsc.Runtime.Training.Loop;

/// <summary>
/// TorchSharp's AdamW (the library's, same update as PyTorch's) over the trainable parameters, with the global
/// gradient norm measured (and clipped when optimizer.max_grad_norm &gt; 0) before each update, and its state
/// (moments and step counts) saved and restored exactly for resume.
/// </summary>
public sealed class TrainerOptimizer : IDisposable
{
    readonly IReadOnlyList<Parameter> parameters;
    readonly AdamW adamw;
    readonly OptimizationOptions options;

    public TrainerOptimizer(IEnumerable<Parameter> trainable, OptimizationOptions options)
    {
        this.options = options;
        parameters = trainable.ToList();
        if (parameters.Count == 0) throw new ArgumentException("no trainable parameters");
        adamw = optim.AdamW(parameters, options.LearningRate, options.Beta1, options.Beta2, options.Epsilon, options.WeightDecay);
    }

    public IReadOnlyList<Parameter> Parameters => parameters;

    // Every read of p.grad wraps a new native reference to the gradient. Outside a dispose scope those wrappers keep
    // the gradients they replaced alive until a GC finalises them (~30 GB for a 7B full fine-tune), so the methods
    // that read gradients (here and inside TorchSharp's zero_grad and clip_grad_norm_) run in a scope.
    public void ZeroGrad()
    {
        using var scope = NewDisposeScope();
        adamw.zero_grad();
    }

    public void SetLearningRate(double lr)
    {
        foreach (var group in adamw.ParamGroups) group.LearningRate = lr;
    }

    /// <summary>
    /// The global L2 norm of the gradients before clipping (NaN or infinity when a gradient is not finite), and
    /// the gradients clipped to max_grad_norm when that is &gt; 0.
    /// </summary>
    public double ClipGradients()
    {
        using var scope = NewDisposeScope();
        var withGrad = parameters.Where(p => p.grad is not null).ToList();
        if (withGrad.Count == 0) return 0;
        double maxNorm = options.MaxGradNorm > 0 ? options.MaxGradNorm : double.PositiveInfinity;
        return nn.utils.clip_grad_norm_(withGrad, maxNorm);
    }

    // Not in a scope: AdamW may create its moments on the first step, and those must outlive it.
    public void Step() => adamw.step();

    /// <summary>Writes the optimizer state (TorchSharp's binary format) to <paramref name="path"/>.</summary>
    public void Save(string path) => adamw.save_state_dict(path);

    public void Load(string path)
    {
        if (!File.Exists(path))
            throw new RlscException(ErrorCodes.FileNotFound, "the optimizer state of this checkpoint is missing; the checkpoint cannot be resumed.", path);
        adamw.load_state_dict(path);
    }

    public void Dispose() => adamw.Dispose();
}
