using TorchSharp;
using static TorchSharp.torch;

namespace Rlsc.Runtime.Training.Rlsc;

/// <summary>
/// The LM head, temperature and log-softmax of chosen rows, fused into one autograd node that never holds more than
/// a (chunk x V) block of logits: forward computes each row chunk's logits, keeps only log p of the target, the
/// log-sum-exp and the entropy; backward recomputes each chunk's logits from the saved hidden rows (one extra
/// matrix product) and forms the gradient with respect to the logits in place. A plain autograd graph would keep
/// the (N x V) logits, their log-softmax and its gradient alive at once: 2.5 GB each for 4,096 rows of Qwen's
/// 151,936-token vocabulary.
/// With z = (h W^T) / T, lse = logsumexp(z), p = exp(z - lse):
///   log p(y) = z_y - lse,  H = lse - sum_j p_j z_j,
///   d log p(y) / dz = onehot(y) - p,  dH / dz_k = -p_k (log p_k + H),
/// and d/dh = (dz / T) W, d/dW = (dz / T)^T h.
/// Arguments of apply: hidden (N, C), weight (V, C), targets (N) int64, temperature (double), chunk rows (long).
/// Outputs: log p of the targets (N) and entropy (N), both differentiable, in float32 (float64 for a float64 model).
/// </summary>
sealed class ChunkedLmHeadFunction : autograd.MultiTensorFunction<ChunkedLmHeadFunction>
{
    public override string Name => nameof(ChunkedLmHeadFunction);

    public override List<Tensor> forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (hidden, weight, targets, temperature, chunkRows) = Unpack(vars);
        var dtype = ComputeType(weight.dtype);
        long n = hidden.shape[0];
        var logProbs = empty(n, dtype: dtype, device: hidden.device);
        var entropy = empty(n, dtype: dtype, device: hidden.device);
        var lse = empty(n, dtype: dtype, device: hidden.device);
        using (var scope = NewDisposeScope())
        {
            var workspace = new Workspace(chunkRows, weight, dtype);
            foreach (var (start, rows) in Chunks(n, chunkRows))
            {
                using var chunkScope = NewDisposeScope();
                var z = workspace.ScaledLogits(hidden.narrow(0, start, rows), weight, temperature);      // (rows, V)
                var chunkLse = z.logsumexp(1, keepdim: true);                                          // (rows, 1)
                var y = targets.narrow(0, start, rows).unsqueeze(1);                                   // (rows, 1)
                logProbs.narrow(0, start, rows).copy_((z.gather(1, y) - chunkLse).squeeze(1));
                lse.narrow(0, start, rows).copy_(chunkLse.squeeze(1));
                // H = lse - sum_j p_j z_j, with p in the second buffer.
                var p = workspace.Second(rows).copy_(z).sub_(chunkLse).exp_();
                entropy.narrow(0, start, rows).copy_(chunkLse.squeeze(1) - p.mul_(z).sum(1));
            }
        }
        ctx.save_for_backward([hidden, weight, targets, lse, entropy]);
        // An output whose gradient is undefined (the entropy, when only a metric) reaches backward as an invalid
        // tensor rather than zeros: TorchSharp would build those zeros from tensors it registered in the caller's
        // dispose scope at apply time, which may be gone by the time backward runs.
        ctx.set_materialize_grads(false);
        ctx.save_data("temperature", temperature);
        ctx.save_data("chunkRows", chunkRows);
        ctx.save_data("weightGrad", weight.requires_grad);
        ctx.save_data("hiddenGrad", hidden.requires_grad);
        return [logProbs, entropy];
    }

    // Called from libtorch's autograd engine through a native callback: an exception here ends the process, so
    // everything that can be checked is checked in forward.
    public override List<Tensor> backward(autograd.AutogradContext ctx, List<Tensor> gradOutputs)
    {
        var saved = ctx.get_saved_variables();
        Tensor hidden = saved[0], weight = saved[1], targets = saved[2], lse = saved[3], entropy = saved[4];
        double temperature = (double)ctx.get_data("temperature");
        long chunkRows = (long)ctx.get_data("chunkRows");
        bool weightGrad = (bool)ctx.get_data("weightGrad"), hiddenGrad = (bool)ctx.get_data("hiddenGrad");
        var dtype = ComputeType(weight.dtype);
        long n = hidden.shape[0];
        var gLogProbs = Defined(gradOutputs[0]) ? gradOutputs[0].to_type(dtype) : zeros(n, dtype: dtype, device: hidden.device);  // (N)
        // Entropy is usually only a metric: skip its term (two passes over each chunk) when it has no gradient.
        bool entropyTerm = Defined(gradOutputs[1]);
        var gEntropy = entropyTerm ? gradOutputs[1].to_type(dtype) : null;                                                         // (N)

        var hiddenGradient = hiddenGrad ? empty_like(hidden) : null;
        var weightGradient = weightGrad ? zeros_like(weight) : null;
        using (var scope = NewDisposeScope())
        {
            var workspace = new Workspace(chunkRows, weight, dtype);
            foreach (var (start, rows) in Chunks(n, chunkRows))
            {
                using var chunkScope = NewDisposeScope();
                var h = hidden.narrow(0, start, rows);
                var z = workspace.ScaledLogits(h, weight, temperature);                                // (rows, V)
                var chunkLse = lse.narrow(0, start, rows).unsqueeze(1);                                // (rows, 1)
                var g = gLogProbs.narrow(0, start, rows).unsqueeze(1);                                 // (rows, 1)
                var logP = z.sub_(chunkLse);                                                           // log p, in place
                var dz = workspace.Second(rows).copy_(logP).exp_();                                    // p
                if (entropyTerm)
                {
                    // dz = -g p - gH p (log p + H); the first buffer is free after p is taken from it.
                    var gH = gEntropy!.narrow(0, start, rows).unsqueeze(1);
                    var term = logP.add_(entropy.narrow(0, start, rows).unsqueeze(1)).mul_(dz).mul_(gH);
                    dz.mul_(g.neg()).sub_(term);
                }
                else
                    dz.mul_(g.neg());
                dz.scatter_add_(1, targets.narrow(0, start, rows).unsqueeze(1), g);                     // + g onehot(y)
                dz.div_(temperature);
                var dRaw = dz.to_type(weight.dtype);                                                   // d/d(h W^T)
                hiddenGradient?.narrow(0, start, rows).copy_(dRaw.mm(weight));
                weightGradient?.addmm_(dRaw.t(), h.to_type(weight.dtype), beta: 1, alpha: 1);
            }
        }
        // One gradient per argument of apply: hidden, weight, targets, temperature, chunk rows.
        return [hiddenGradient!, weightGradient!, null!, null!, null!];
    }

    static bool Defined(Tensor? t) => t is not null && !t.IsInvalid;

    static (Tensor Hidden, Tensor Weight, Tensor Targets, double Temperature, long ChunkRows) Unpack(object[] vars) =>
        ((Tensor)vars[0], (Tensor)vars[1], (Tensor)vars[2], (double)vars[3], (long)vars[4]);

    /// <summary>float32 at least: a log-softmax over a 150k vocabulary in bfloat16 loses the tail.</summary>
    internal static ScalarType ComputeType(ScalarType t) => t == ScalarType.Float64 ? ScalarType.Float64 : ScalarType.Float32;

    static IEnumerable<(long Start, long Rows)> Chunks(long n, long chunkRows)
    {
        for (long start = 0; start < n; start += chunkRows)
            yield return (start, Math.Min(chunkRows, n - start));
    }

    /// <summary>
    /// Two (chunk x V) buffers reused by every chunk of one pass, so a pass allocates them once rather than
    /// mapping and faulting in fresh logits for every chunk.
    /// </summary>
    sealed class Workspace(long chunkRows, Tensor weight, ScalarType dtype)
    {
        readonly Tensor first = empty(chunkRows, weight.shape[0], dtype: dtype, device: weight.device);
        readonly Tensor second = empty(chunkRows, weight.shape[0], dtype: dtype, device: weight.device);

        /// <summary>(h W^T) / T for the chunk's rows, in the first buffer (computed in the weight's dtype, then widened).</summary>
        public Tensor ScaledLogits(Tensor h, Tensor weight, double temperature)
        {
            long rows = h.shape[0];
            var z = first.narrow(0, 0, rows);
            if (weight.dtype == dtype)
                z.addmm_(h, weight.t(), beta: 0, alpha: 1);
            else
                z.copy_(nn.functional.linear(h, weight));
            return z.div_(temperature);
        }

        public Tensor Second(long rows) => second.narrow(0, 0, rows);
    }
}
