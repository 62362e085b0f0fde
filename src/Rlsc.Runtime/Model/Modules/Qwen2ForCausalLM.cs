using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Rlsc.Runtime.Model.Modules;

/// <summary>Input of a causal-LM forward.</summary>
/// <param name="InputIds">Token ids (B, T), int64.</param>
/// <param name="AttentionMask">1 for real tokens, 0 for padding, over cached + new positions (B, S); null: all real.</param>
/// <param name="PositionIds">Rotary positions (B, T); null: derived from the mask (see Qwen2Model.PositionsFromMask).</param>
/// <param name="Cache">KV cache to read and extend; null for a plain forward.</param>
/// <param name="LogitsToKeep">0: logits for every position; n: only the last n (a prefill needs 1: a whole
/// prompt's logits over 152K tokens would be ~600 KB per position).</param>
/// <param name="ComputeLogits">false: return the hidden states only (the scorer applies the head to chosen rows).</param>
/// <param name="Prefix">A prompt shared by every row, with its gradient (<see cref="SharedPrefix"/>); null: none. The
/// attention mask then covers prefix + new positions, as with a cache.</param>
public sealed record CausalLMInput(
    Tensor InputIds,
    Tensor? AttentionMask = null,
    Tensor? PositionIds = null,
    KVCache? Cache = null,
    int LogitsToKeep = 0,
    bool ComputeLogits = true,
    SharedPrefix? Prefix = null);

/// <summary>Logits (B, T', V) in the model's dtype (null when not computed) and the final hidden states (B, T, C).</summary>
public sealed record CausalLMOutput(Tensor? Logits, Tensor HiddenStates);

/// <summary>
/// Qwen2 (and Llama) causal LM. Field names equal the Hugging Face keys, so parameter names equal checkpoint
/// names (model.layers.0.self_attn.q_proj.weight). With tied embeddings there is no lm_head module: the logits
/// use model.embed_tokens.weight, one parameter, as the checkpoint stores it.
/// </summary>
public sealed class Qwen2ForCausalLM : nn.Module<CausalLMInput, CausalLMOutput>
{
    public readonly Qwen2Model model;
    public readonly Linear? lm_head;

    public Qwen2ForCausalLM(ModelConfig config, Device? device = null, ScalarType dtype = ScalarType.Float32) : base(nameof(Qwen2ForCausalLM))
    {
        Config = config;
        device ??= CPU;
        model = new Qwen2Model(config, device, dtype);
        lm_head = config.TieWordEmbeddings ? null : Allocate.Linear(config.HiddenSize, config.VocabSize, bias: false, device, dtype);
        RegisterComponents();
    }

    public ModelConfig Config { get; }
    public Device Device => model.embed_tokens.weight!.device;
    public ScalarType DType => model.embed_tokens.weight!.dtype;

    public override CausalLMOutput forward(CausalLMInput input)
    {
        using var scope = NewDisposeScope();
        var hidden = model.call(input);  // (B, T, C)
        Tensor? logits = null;
        if (input.ComputeLogits)
        {
            var kept = input.LogitsToKeep > 0 && input.LogitsToKeep < hidden.shape[1]
                ? hidden.narrow(1, hidden.shape[1] - input.LogitsToKeep, input.LogitsToKeep)
                : hidden;
            logits = Logits(kept).MoveToOuterDisposeScope();  // (B, T', V)
        }
        return new CausalLMOutput(logits, hidden.MoveToOuterDisposeScope());
    }

    /// <summary>The LM head on hidden states (..., C): logits (..., V) in the model's dtype.</summary>
    public Tensor Logits(Tensor hidden) =>
        lm_head is not null ? lm_head.call(hidden) : nn.functional.linear(hidden, model.embed_tokens.weight!);
}
