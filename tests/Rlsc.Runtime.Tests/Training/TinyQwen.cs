using static TorchSharp.torch;
using Rlsc.Core.Tokenization;
using Rlsc.Runtime.Model;

namespace Rlsc.Runtime.Tests.Training;

/// <summary>
/// Writes a tiny random Qwen2 model folder (config.json, model.safetensors, a byte-level tokenizer with the Qwen
/// chat tokens): the real runtime end to end, in milliseconds.
/// </summary>
static class TinyQwen
{
    public static readonly string[] Specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"];

    /// <param name="sharpness">Multiplies the random weights (HF's init, std 0.02, gives nearly uniform outputs).</param>
    public static string Write(string directory, long seed, double sharpness = 1.0)
    {
        string tokenizer = directory + "-tokenizer";
        TokenizerBuilder.WriteByteLevel(tokenizer, Specials);
        int vocab = 256 + Specials.Length;
        var config = ModelPresets.Get("tiny").For(vocab) with
        {
            HiddenSize = 32,
            IntermediateSize = 64,
            NumAttentionHeads = 4,
            NumKeyValueHeads = 2,
            MaxPositionEmbeddings = 256,
            EosTokenIds = [256 + 2],   // <|im_end|>
        };
        using var model = CausalLM.Create(config, tokenizer, seed);
        if (sharpness != 1.0)
            using (no_grad())
                foreach (var (name, p) in model.Module.named_parameters())
                    if (!name.EndsWith("norm.weight")) p.mul_(sharpness);
        model.Save(directory);
        return directory;
    }
}
