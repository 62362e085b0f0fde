using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace Rlsc.Tasks.Tests.Infrastructure;

/// <summary>
/// A tiny random Qwen2 model in Hugging Face format (config.json, model.safetensors, the real Qwen2.5 tokenizer
/// files), written without TorchSharp so that these tests never load libtorch themselves: hidden size 32, one
/// layer, tied embeddings (~4.9M parameters, nearly all of them the 151,936-token embedding).
/// </summary>
internal static class TinyModel
{
    const int Vocab = 151936, Hidden = 32, Intermediate = 64, Heads = 2, KvHeads = 1, HeadDim = Hidden / Heads;

    public static void Write(string folder, int seed)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "config.json"), JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["architectures"] = new[] { "Qwen2ForCausalLM" },
            ["model_type"] = "qwen2",
            ["vocab_size"] = Vocab,
            ["hidden_size"] = Hidden,
            ["intermediate_size"] = Intermediate,
            ["num_hidden_layers"] = 1,
            ["num_attention_heads"] = Heads,
            ["num_key_value_heads"] = KvHeads,
            ["rms_norm_eps"] = 1e-6,
            ["rope_theta"] = 10000.0,
            ["max_position_embeddings"] = 4096,
            ["tie_word_embeddings"] = true,
            ["torch_dtype"] = "float32",
            ["hidden_act"] = "silu",
            ["bos_token_id"] = 151643,
            ["eos_token_id"] = new[] { 151643, 151645 },
        }, new JsonSerializerOptions { WriteIndented = true }));
        foreach (string file in new[] { "tokenizer.json", "tokenizer_config.json" })
            File.Copy(Path.Combine(TestPaths.QwenTokenizer, file), Path.Combine(folder, file), overwrite: true);

        // (name, shape, is a norm weight); the names are the Hugging Face keys.
        var tensors = new List<(string Name, int[] Shape, bool Ones)>
        {
            ("model.embed_tokens.weight", new[] { Vocab, Hidden }, false),
            ("model.layers.0.input_layernorm.weight", new[] { Hidden }, true),
            ("model.layers.0.self_attn.q_proj.weight", new[] { Heads * HeadDim, Hidden }, false),
            ("model.layers.0.self_attn.q_proj.bias", new[] { Heads * HeadDim }, false),
            ("model.layers.0.self_attn.k_proj.weight", new[] { KvHeads * HeadDim, Hidden }, false),
            ("model.layers.0.self_attn.k_proj.bias", new[] { KvHeads * HeadDim }, false),
            ("model.layers.0.self_attn.v_proj.weight", new[] { KvHeads * HeadDim, Hidden }, false),
            ("model.layers.0.self_attn.v_proj.bias", new[] { KvHeads * HeadDim }, false),
            ("model.layers.0.self_attn.o_proj.weight", new[] { Hidden, Heads * HeadDim }, false),
            ("model.layers.0.post_attention_layernorm.weight", new[] { Hidden }, true),
            ("model.layers.0.mlp.gate_proj.weight", new[] { Intermediate, Hidden }, false),
            ("model.layers.0.mlp.up_proj.weight", new[] { Intermediate, Hidden }, false),
            ("model.layers.0.mlp.down_proj.weight", new[] { Hidden, Intermediate }, false),
            ("model.norm.weight", new[] { Hidden }, true),
        };
        WriteSafetensors(Path.Combine(folder, "model.safetensors"), tensors, new Random(seed));
    }

    /// <summary>safetensors: an 8-byte little-endian header length, the JSON header (padded to 8 bytes), the data.</summary>
    static void WriteSafetensors(string path, List<(string Name, int[] Shape, bool Ones)> tensors, Random random)
    {
        var header = new Dictionary<string, object> { ["__metadata__"] = new Dictionary<string, string> { ["format"] = "pt" } };
        long offset = 0;
        foreach (var (name, shape, _) in tensors)
        {
            long bytes = shape.Aggregate(4L, (a, d) => a * d);
            header[name] = new Dictionary<string, object> { ["dtype"] = "F32", ["shape"] = shape, ["data_offsets"] = new[] { offset, offset + bytes } };
            offset += bytes;
        }
        byte[] json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        int padded = (json.Length + 7) / 8 * 8;
        using var stream = File.Create(path);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(length, padded);
        stream.Write(length);
        stream.Write(json);
        for (int i = json.Length; i < padded; i++) stream.WriteByte((byte)' ');
        var buffer = new byte[4];
        foreach (var (_, shape, ones) in tensors)
        {
            long count = shape.Aggregate(1L, (a, d) => a * d);
            for (long i = 0; i < count; i++)
            {
                // Normal(0, 0.02) by Box-Muller, as Hugging Face initialises; norm weights are 1.
                float value = ones ? 1f : (float)(0.02 * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
                BinaryPrimitives.WriteSingleLittleEndian(buffer, value);
                stream.Write(buffer);
            }
        }
    }
}
