using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Rlsc.Runtime.Model.Modules;

/// <summary>Embeddings, the decoder layers and the final norm: token ids (B, T) to hidden states (B, T, C).</summary>
public sealed class Qwen2Model : nn.Module<CausalLMInput, Tensor>
{
    public readonly Embedding embed_tokens;
    public readonly ModuleList<Qwen2DecoderLayer> layers;
    public readonly Qwen2RMSNorm norm;
    public readonly Qwen2RotaryEmbedding rotary_emb;

    public Qwen2Model(ModelConfig config, Device device, ScalarType dtype) : base(nameof(Qwen2Model))
    {
        embed_tokens = Allocate.Embedding(config.VocabSize, config.HiddenSize, device, dtype);
        layers = nn.ModuleList(Enumerable.Range(0, config.NumHiddenLayers)
            .Select(i => new Qwen2DecoderLayer(config, i, device, dtype)).ToArray());
        norm = new Qwen2RMSNorm(config.HiddenSize, config.RmsNormEps, device, dtype);
        rotary_emb = new Qwen2RotaryEmbedding(config.HeadDim, config.RopeTheta, device);
        RegisterComponents();
    }

    public override Tensor forward(CausalLMInput input)
    {
        using var scope = NewDisposeScope();
        var ids = input.InputIds;                                     // (B, T)
        if (input.Cache is not null && input.Prefix is not null)
            throw new ArgumentException("a forward takes a KV cache (decoding) or a shared prefix (training), not both.");
        long b = ids.shape[0], t = ids.shape[1], past = input.Cache?.Length ?? input.Prefix?.Length ?? 0;
        var positions = input.PositionIds ?? PositionsFromMask(input.AttentionMask, b, t, past, ids.device);  // (B, T)
        var x = embed_tokens.call(ids);                               // (B, T, C)
        var (cos, sin) = rotary_emb.forward(positions, x.dtype);      // (B, T, D) each
        var context = new AttentionContext(cos, sin, AttentionMask(input.AttentionMask, b, t, past, ids.device), input.Cache, input.Prefix);
        foreach (var layer in layers)
            x = layer.call(x, context);
        input.Cache?.Advance(t);
        input.Prefix?.Advance(t);
        return norm.call(x).MoveToOuterDisposeScope();                // (B, T, C)
    }

    /// <summary>
    /// Positions count real tokens only, so a left-padded row gets the same positions as the unpadded sequence:
    /// cumsum(mask) - 1 (padding at 0), as HF's generate does. Without a mask: past .. past+T-1.
    /// </summary>
    public static Tensor PositionsFromMask(Tensor? attentionMask, long batch, long t, long past, Device device)
    {
        using var scope = NewDisposeScope();
        if (attentionMask is null)
            return arange(past, past + t, dtype: ScalarType.Int64, device: device).expand(batch, t).MoveToOuterDisposeScope();
        var positions = (attentionMask.to(ScalarType.Int64).cumsum(-1) - 1).clamp_min(0);  // (B, S)
        return positions.narrow(1, past, t).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Which keys each query sees, bool (B, 1, T, S): causal (key position ≤ query position, offset by the cached
    /// length; SDPA's own is_causal aligns top-left, wrong with a cache) and not padding. A padding query sees at
    /// least itself, so no softmax row is empty (NaN). Null when nothing needs masking (one query, no mask).
    /// </summary>
    public static Tensor? AttentionMask(Tensor? attentionMask, long batch, long t, long past, Device device)
    {
        if (attentionMask is null && t == 1) return null;
        using var scope = NewDisposeScope();
        long s = past + t;
        var keyPositions = arange(s, dtype: ScalarType.Int64, device: device);                        // (S)
        var queryPositions = arange(past, s, dtype: ScalarType.Int64, device: device).unsqueeze(1);   // (T, 1)
        var allowed = keyPositions.le(queryPositions).unsqueeze(0);                                  // (1, T, S)
        if (attentionMask is not null)
        {
            var real = attentionMask.to(ScalarType.Bool).unsqueeze(1);                                // (B, 1, S)
            allowed = allowed.logical_and(real.logical_or(keyPositions.eq(queryPositions)));          // (B, T, S)
        }
        return allowed.expand(batch, t, s).unsqueeze(1).MoveToOuterDisposeScope();                   // (B, 1, T, S)
    }
}
