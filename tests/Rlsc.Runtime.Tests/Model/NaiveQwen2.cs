using static TorchSharp.torch;
using Rlsc.Runtime.Model;
using Rlsc.Runtime.Model.Modules;

namespace Rlsc.Runtime.Tests.Model;

/// <summary>
/// An independent float64 reference of the Qwen2 forward, written from the architecture's definition with plain
/// loops over arrays (no TorchSharp ops, no code shared with the module): one sequence at a time, padding
/// positions skipped, positions counted over real tokens, keys masked causally.
/// </summary>
internal sealed class NaiveQwen2
{
    readonly ModelConfig c;
    readonly Dictionary<string, double[]> w;

    public NaiveQwen2(ModelConfig config, Qwen2ForCausalLM module)
    {
        c = config;
        w = module.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().cpu().to(ScalarType.Float64).data<double>().ToArray());
    }

    /// <summary>Logits [t][v] for one row; rows for padding positions (mask 0) are null.</summary>
    public double[]?[] Forward(long[] ids, long[] mask)
    {
        int T = ids.Length, C = c.HiddenSize, H = c.NumAttentionHeads, KV = c.NumKeyValueHeads, D = c.HeadDim;
        var real = Enumerable.Range(0, T).Where(t => mask[t] != 0).ToArray();
        int n = real.Length;
        // Hidden states of the real tokens only, in order; position of the i-th real token is i.
        var x = new double[n][];
        for (int i = 0; i < n; i++) x[i] = Row(w["model.embed_tokens.weight"], (int)ids[real[i]], C);
        for (int l = 0; l < c.NumHiddenLayers; l++)
        {
            string p = $"model.layers.{l}.";
            var q = new double[n][]; var k = new double[n][]; var v = new double[n][];
            for (int i = 0; i < n; i++)
            {
                var h = RmsNorm(x[i], w[p + "input_layernorm.weight"]);
                q[i] = Rope(Linear(h, p + "self_attn.q_proj", H * D), i, H, D);
                k[i] = Rope(Linear(h, p + "self_attn.k_proj", KV * D), i, KV, D);
                v[i] = Linear(h, p + "self_attn.v_proj", KV * D);
            }
            for (int i = 0; i < n; i++)
            {
                var attn = new double[H * D];
                for (int head = 0; head < H; head++)
                {
                    int kvHead = head / (H / KV);
                    var scores = new double[i + 1];
                    for (int j = 0; j <= i; j++)
                    {
                        double s = 0;
                        for (int d = 0; d < D; d++) s += q[i][head * D + d] * k[j][kvHead * D + d];
                        scores[j] = s / Math.Sqrt(D);
                    }
                    double max = scores.Max(), sum = scores.Sum(s => Math.Exp(s - max));
                    for (int j = 0; j <= i; j++)
                    {
                        double a = Math.Exp(scores[j] - max) / sum;
                        for (int d = 0; d < D; d++) attn[head * D + d] += a * v[j][kvHead * D + d];
                    }
                }
                var o = Linear(attn, p + "self_attn.o_proj", C);
                for (int e = 0; e < C; e++) x[i][e] += o[e];
                var h2 = RmsNorm(x[i], w[p + "post_attention_layernorm.weight"]);
                var gate = Linear(h2, p + "mlp.gate_proj", c.IntermediateSize);
                var up = Linear(h2, p + "mlp.up_proj", c.IntermediateSize);
                var act = gate.Select((g, e) => g / (1 + Math.Exp(-g)) * up[e]).ToArray();
                var down = Linear(act, p + "mlp.down_proj", C);
                for (int e = 0; e < C; e++) x[i][e] += down[e];
            }
        }
        var head_ = w.ContainsKey("lm_head.weight") ? w["lm_head.weight"] : w["model.embed_tokens.weight"];
        var logits = new double[]?[T];
        for (int i = 0; i < n; i++)
        {
            var h = RmsNorm(x[i], w["model.norm.weight"]);
            logits[real[i]] = MatVec(head_, h, c.VocabSize);
        }
        return logits;
    }

    double[] Linear(double[] input, string name, int outputs)
    {
        var y = MatVec(w[name + ".weight"], input, outputs);
        if (w.TryGetValue(name + ".bias", out var bias))
            for (int o = 0; o < outputs; o++) y[o] += bias[o];
        return y;
    }

    static double[] MatVec(double[] matrix, double[] input, int outputs)
    {
        var y = new double[outputs];
        for (int o = 0; o < outputs; o++)
        {
            double s = 0;
            for (int i = 0; i < input.Length; i++) s += matrix[o * input.Length + i] * input[i];
            y[o] = s;
        }
        return y;
    }

    double[] RmsNorm(double[] x, double[] weight)
    {
        double ms = x.Sum(e => e * e) / x.Length;
        return x.Select((e, i) => e / Math.Sqrt(ms + c.RmsNormEps) * weight[i]).ToArray();
    }

    // Half rotation: dimension d < D/2 pairs with d + D/2; angle = position * theta^(-2d/D).
    double[] Rope(double[] x, int position, int heads, int D)
    {
        var y = new double[x.Length];
        for (int h = 0; h < heads; h++)
            for (int d = 0; d < D / 2; d++)
            {
                double angle = position * Math.Pow(c.RopeTheta, -2.0 * d / D);
                double a = x[h * D + d], b = x[h * D + d + D / 2];
                y[h * D + d] = a * Math.Cos(angle) - b * Math.Sin(angle);
                y[h * D + d + D / 2] = b * Math.Cos(angle) + a * Math.Sin(angle);
            }
        return y;
    }

    static double[] Row(double[] matrix, int row, int width) => matrix.AsSpan(row * width, width).ToArray();
}
