using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Rlsc.Runtime.Model.Modules;

/// <summary>What one attention (and decoder) layer needs besides its input.</summary>
/// <param name="Cos">Rotary cos (B, T, D), in the model's dtype.</param>
/// <param name="Sin">Rotary sin (B, T, D).</param>
/// <param name="Mask">Which keys each query may see, bool (B, 1, T, S) with S = cached + new positions; null: all.</param>
/// <param name="Cache">The KV cache to read and extend, or null for a plain forward.</param>
/// <param name="Prefix">A prompt shared by every row (training: N samples of one question), or null.</param>
public sealed record AttentionContext(Tensor Cos, Tensor Sin, Tensor? Mask, KVCache? Cache, SharedPrefix? Prefix = null);

/// <summary>
/// Multi-head attention with grouped-query heads: q/k/v projections (bias in Qwen2), rotary embeddings on q and k,
/// scaled dot-product attention, o_proj (no bias in Qwen2). Projections are plain <see cref="Linear"/> fields
/// invoked with call(), so forward hooks (LoRA adapters) registered on them apply.
/// </summary>
public sealed class Qwen2Attention : nn.Module<Tensor, AttentionContext, Tensor>
{
    public readonly Linear q_proj;
    public readonly Linear k_proj;
    public readonly Linear v_proj;
    public readonly Linear o_proj;
    readonly int layerIndex, heads, kvHeads, headDim;

    public Qwen2Attention(ModelConfig config, int layerIndex, Device device, ScalarType dtype) : base(nameof(Qwen2Attention))
    {
        this.layerIndex = layerIndex;
        heads = config.NumAttentionHeads;
        kvHeads = config.NumKeyValueHeads;
        headDim = config.HeadDim;
        q_proj = Allocate.Linear(config.HiddenSize, heads * headDim, config.QkvBias, device, dtype);
        k_proj = Allocate.Linear(config.HiddenSize, kvHeads * headDim, config.QkvBias, device, dtype);
        v_proj = Allocate.Linear(config.HiddenSize, kvHeads * headDim, config.QkvBias, device, dtype);
        o_proj = Allocate.Linear(heads * headDim, config.HiddenSize, config.OutputBias, device, dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, AttentionContext context)  // x: (B, T, C)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], t = x.shape[1];
        var q = q_proj.call(x).view(b, t, heads, headDim).transpose(1, 2);    // (B, H, T, D)
        var k = k_proj.call(x).view(b, t, kvHeads, headDim).transpose(1, 2);  // (B, KV, T, D)
        var v = v_proj.call(x).view(b, t, kvHeads, headDim).transpose(1, 2);  // (B, KV, T, D)
        q = Qwen2RotaryEmbedding.Apply(q, context.Cos, context.Sin);
        k = Qwen2RotaryEmbedding.Apply(k, context.Cos, context.Sin);
        if (context.Cache is not null)
            (k, v) = context.Cache.Update(layerIndex, k, v);                  // (B, KV, S, D)
        else if (context.Prefix is not null)
            (k, v) = context.Prefix.Update(layerIndex, k, v);                 // (B, KV, P + T, D)
        var y = GroupedAttention(q, k, v, context.Mask);                      // (B, H, T, D)
        y = y.transpose(1, 2).reshape(b, t, heads * headDim);                  // (B, T, H*D)
        return o_proj.call(y).MoveToOuterDisposeScope();
    }

    // Grouped-query attention without copying K/V per query head: the G = H/KV query heads that share a KV
    // head are folded into the query-length axis, so each KV head is read once (a decode step would otherwise
    // copy the whole cache G times). HF's repeat_kv gives KV head j to query heads j*G .. j*G+G-1, as here.
    Tensor GroupedAttention(Tensor q, Tensor k, Tensor v, Tensor? mask)  // q (B, H, T, D), k/v (B, KV, S, D)
    {
        long b = q.shape[0], t = q.shape[2], s = k.shape[2];
        int groups = heads / kvHeads;
        if (groups > 1)
        {
            q = q.reshape(b, kvHeads, groups * t, headDim);                    // (B, KV, G*T, D)
            // One query per head (a decode step): the mask (B, 1, 1, S) broadcasts over G as it is.
            if (t > 1) mask = mask?.unsqueeze(2).expand(b, 1, groups, t, s).reshape(b, 1, groups * t, s);  // (B, 1, G*T, S)
        }
        var y = nn.functional.scaled_dot_product_attention(q, k, v, attn_mask: mask);  // (B, KV, G*T, D)
        return SplitGroups(y, heads, t);
    }

    /// <summary>
    /// (B, KV, G*T, D) -> (B, H, T, D). reshape, not view: CUDA's memory-efficient SDPA kernel (every masked call)
    /// returns its output in (B, G*T, KV, D) memory order, which view cannot regroup; the CPU kernel happens to return
    /// q's layout. reshape copies only when the layout needs it.
    /// </summary>
    internal static Tensor SplitGroups(Tensor y, long heads, long t) => y.reshape(y.shape[0], heads, t, y.shape[3]);
}
