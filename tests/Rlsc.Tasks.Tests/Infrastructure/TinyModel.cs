using System.Text.Json;

namespace Rlsc.Tasks.Tests.Infrastructure;

/// <summary>
/// A tiny random Qwen2 model in Hugging Face format, made by the product itself: `rlsc init-model` with a shape
/// smaller than its `tiny` preset (hidden size 32, one layer, tied embeddings: ~4.9M parameters, nearly all of them
/// the embedding of the real 151,936-token Qwen2.5 vocabulary), so that a training step takes about a second.
/// </summary>
internal static class TinyModel
{
    public static void Write(string folder, int seed)
    {
        string shape = folder + ".config.json";
        File.WriteAllText(shape, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["architectures"] = new[] { "Qwen2ForCausalLM" },
            ["model_type"] = "qwen2",
            ["vocab_size"] = 151936,
            ["hidden_size"] = 32,
            ["intermediate_size"] = 64,
            ["num_hidden_layers"] = 1,
            ["num_attention_heads"] = 2,
            ["num_key_value_heads"] = 1,
            ["rms_norm_eps"] = 1e-6,
            ["rope_theta"] = 10000.0,
            ["max_position_embeddings"] = 4096,
            ["tie_word_embeddings"] = true,
            ["torch_dtype"] = "float32",
            ["bos_token_id"] = 151643,
            ["eos_token_id"] = new[] { 151643, 151645 },
        }));
        var init = DotnetCommand.Run(Path.GetDirectoryName(folder)!, new[]
        {
            "exec", TestPaths.RlscCli, "init-model", "--config", shape, "--tokenizer", TestPaths.QwenTokenizer, "--out", folder,
            "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        Assert.That(init.ExitCode, Is.EqualTo(0), init.ToString());
    }
}
