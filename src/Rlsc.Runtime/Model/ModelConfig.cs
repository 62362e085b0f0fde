using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Rlsc.Core;

namespace Rlsc.Runtime.Model;

/// <summary>
/// The fields of a Hugging Face <c>config.json</c> that the Qwen2 (and Llama) architecture needs, named like
/// the JSON keys. <see cref="Load"/> reads and validates one; fields this runtime does not use are kept in
/// <see cref="Extra"/> so that a checkpoint written back carries them unchanged.
/// </summary>
public sealed record ModelConfig
{
    /// <summary>The architectures this runtime implements; anything else is refused (RLSC010).</summary>
    public static readonly IReadOnlyList<string> SupportedArchitectures = ["Qwen2ForCausalLM", "LlamaForCausalLM"];

    [JsonPropertyName("architectures")] public string[] Architectures { get; init; } = ["Qwen2ForCausalLM"];
    [JsonPropertyName("model_type")] public string ModelType { get; init; } = "qwen2";
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; }
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; }
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; init; }
    [JsonPropertyName("num_hidden_layers")] public int NumHiddenLayers { get; init; }
    [JsonPropertyName("num_attention_heads")] public int NumAttentionHeads { get; init; }
    [JsonPropertyName("num_key_value_heads")] public int NumKeyValueHeads { get; init; }
    /// <summary>Per-head size; absent in Qwen2 configs, where it is hidden_size / num_attention_heads.</summary>
    [JsonPropertyName("head_dim")] public int? HeadDimOverride { get; init; }
    [JsonPropertyName("rms_norm_eps")] public double RmsNormEps { get; init; }
    [JsonPropertyName("rope_theta")] public double RopeTheta { get; init; }
    [JsonPropertyName("max_position_embeddings")] public int MaxPositionEmbeddings { get; init; }
    /// <summary>Whether lm_head reuses embed_tokens' weight (HF default false; true for Qwen2.5-Math-1.5B).</summary>
    [JsonPropertyName("tie_word_embeddings")] public bool TieWordEmbeddings { get; init; }
    /// <summary>The dtype the weights were saved in: float32, bfloat16 or float16 (HF default float32).</summary>
    [JsonPropertyName("torch_dtype")] public string TorchDtype { get; init; } = "float32";
    [JsonPropertyName("hidden_act")] public string HiddenAct { get; init; } = "silu";
    [JsonPropertyName("bos_token_id")] public int? BosTokenId { get; init; }
    /// <summary>One id or a list of ids (both forms occur in HF configs).</summary>
    [JsonPropertyName("eos_token_id")] public int[] EosTokenIds { get; init; } = [];
    [JsonPropertyName("initializer_range")] public double InitializerRange { get; init; } = 0.02;
    /// <summary>Llama only: bias on q/k/v/o (Qwen2 always has q/k/v bias and no o bias).</summary>
    [JsonPropertyName("attention_bias")] public bool AttentionBias { get; init; }
    /// <summary>Llama only: bias on gate/up/down.</summary>
    [JsonPropertyName("mlp_bias")] public bool MlpBias { get; init; }

    /// <summary>Every other key of config.json, written back unchanged by <see cref="ToJson"/>.</summary>
    [JsonIgnore] public IReadOnlyDictionary<string, JsonNode?> Extra { get; init; } = new Dictionary<string, JsonNode?>();

    [JsonIgnore] public string Architecture => Architectures[0];
    [JsonIgnore] public bool IsQwen2 => Architecture == "Qwen2ForCausalLM";
    [JsonIgnore] public int HeadDim => HeadDimOverride ?? HiddenSize / NumAttentionHeads;
    /// <summary>Qwen2 puts a bias on q/k/v (not o); Llama on all four only when attention_bias is set.</summary>
    [JsonIgnore] public bool QkvBias => IsQwen2 || AttentionBias;
    [JsonIgnore] public bool OutputBias => !IsQwen2 && AttentionBias;

    /// <summary>Parameter count of the architecture (tied embeddings counted once).</summary>
    [JsonIgnore]
    public long ParameterCount
    {
        get
        {
            long h = HiddenSize, q = (long)NumAttentionHeads * HeadDim, kv = (long)NumKeyValueHeads * HeadDim;
            long attention = h * q + 2 * h * kv + q * h + (QkvBias ? q + 2 * kv : 0) + (OutputBias ? h : 0);
            long mlp = 3 * h * IntermediateSize + (MlpBias ? 2 * IntermediateSize + h : 0);
            long layer = attention + mlp + 2 * h;
            long embeddings = (long)VocabSize * h;
            return embeddings + NumHiddenLayers * layer + h + (TieWordEmbeddings ? 0 : embeddings);
        }
    }

    // The keys that must be present: HF would silently fall back to a default for most of them, which for a
    // checkpoint means silently wrong shapes or numerics, so a missing one is an error here.
    static readonly string[] RequiredKeys =
    [
        "architectures", "vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers", "num_attention_heads",
        "num_key_value_heads", "rms_norm_eps", "rope_theta", "max_position_embeddings",
    ];

    static readonly HashSet<string> KnownKeys =
    [
        .. RequiredKeys, "model_type", "head_dim", "tie_word_embeddings", "torch_dtype", "dtype", "hidden_act", "bos_token_id",
        "eos_token_id", "initializer_range", "attention_bias", "mlp_bias", "rope_parameters",
    ];

    /// <summary>Reads and validates a config.json; every problem is an RLSC010 naming the file and the field.</summary>
    public static ModelConfig Load(string path)
    {
        if (!File.Exists(path))
            throw new RlscException(ErrorCodes.FileNotFound, "config.json not found: a model folder needs the Hugging Face config.json next to its weights.", path);
        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new RlscException(ErrorCodes.ModelConfigInvalid, "config.json must hold a JSON object.", path);
        }
        catch (JsonException e)
        {
            throw new RlscException(ErrorCodes.ModelConfigInvalid, $"config.json is not valid JSON: {e.Message}", path, (int?)e.LineNumber + 1, e);
        }
        return FromJson(root, path);
    }

    /// <summary>Parses a config object (from a file or a preset); <paramref name="origin"/> names it in errors.</summary>
    public static ModelConfig FromJson(JsonObject root, string origin)
    {
        // transformers 5 writes rope_theta inside rope_parameters and torch_dtype as dtype.
        if (!root.ContainsKey("rope_theta") && root["rope_parameters"] is JsonObject rope && rope["rope_theta"] is JsonNode theta)
            root = WithKey(root, "rope_theta", theta.DeepClone());
        foreach (string key in RequiredKeys)
            if (root[key] is null)
                throw Invalid(origin, key, "is missing; it is required to build the model (see docs/model.md).");

        var architectures = Get<string[]>(root, "architectures", origin);
        if (architectures is not { Length: > 0 } || !SupportedArchitectures.Contains(architectures[0]))
            throw Invalid(origin, "architectures",
                $"is [{string.Join(", ", architectures ?? [])}]; this runtime supports {string.Join(" and ", SupportedArchitectures)}.");
        if (root["rope_scaling"] is JsonObject)
            throw Invalid(origin, "rope_scaling", "is set; rotary scaling (YaRN, linear, llama3) is not supported: only plain rope_theta.");
        // transformers 5 writes rotary scaling into rope_parameters (rope_scaling is gone): rope_type says which.
        if (root["rope_parameters"] is JsonObject ropeParameters &&
            (ropeParameters["rope_type"] ?? ropeParameters["type"]) is JsonValue ropeType &&
            !(ropeType.TryGetValue<string>(out var ropeTypeName) && ropeTypeName == "default"))
            throw Invalid(origin, "rope_parameters",
                $"has rope_type {ropeType.ToJsonString()}; rotary scaling (YaRN, linear, llama3) is not supported: only plain rope_theta (rope_type \"default\").");
        if (root["use_sliding_window"]?.GetValueKind() == JsonValueKind.True)
            throw Invalid(origin, "use_sliding_window", "is true; sliding-window attention is not supported.");

        var config = new ModelConfig
        {
            Architectures = architectures,
            ModelType = Get<string>(root, "model_type", origin) ?? (architectures[0] == "Qwen2ForCausalLM" ? "qwen2" : "llama"),
            VocabSize = Get<int>(root, "vocab_size", origin),
            HiddenSize = Get<int>(root, "hidden_size", origin),
            IntermediateSize = Get<int>(root, "intermediate_size", origin),
            NumHiddenLayers = Get<int>(root, "num_hidden_layers", origin),
            NumAttentionHeads = Get<int>(root, "num_attention_heads", origin),
            NumKeyValueHeads = Get<int>(root, "num_key_value_heads", origin),
            HeadDimOverride = Get<int?>(root, "head_dim", origin),
            RmsNormEps = Get<double>(root, "rms_norm_eps", origin),
            RopeTheta = Get<double>(root, "rope_theta", origin),
            MaxPositionEmbeddings = Get<int>(root, "max_position_embeddings", origin),
            TieWordEmbeddings = Get<bool?>(root, "tie_word_embeddings", origin) ?? false,
            TorchDtype = Get<string>(root, "torch_dtype", origin) ?? Get<string>(root, "dtype", origin) ?? "float32",
            HiddenAct = Get<string>(root, "hidden_act", origin) ?? "silu",
            BosTokenId = Get<int?>(root, "bos_token_id", origin),
            EosTokenIds = root["eos_token_id"] switch
            {
                null => [],
                JsonArray => Get<int[]>(root, "eos_token_id", origin) ?? [],
                _ => [Get<int>(root, "eos_token_id", origin)],
            },
            InitializerRange = Get<double?>(root, "initializer_range", origin) ?? 0.02,
            AttentionBias = Get<bool?>(root, "attention_bias", origin) ?? false,
            MlpBias = Get<bool?>(root, "mlp_bias", origin) ?? false,
            Extra = root.Where(p => !KnownKeys.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value?.DeepClone()),
        };
        config.Validate(origin);
        return config;
    }

    /// <summary>Checks the values' consistency; throws RLSC010 naming <paramref name="origin"/> and the field.</summary>
    public void Validate(string origin)
    {
        void Positive(string key, double value)
        {
            if (!(value > 0)) throw Invalid(origin, key, $"is {value}; it must be positive.");
        }
        Positive("vocab_size", VocabSize);
        Positive("hidden_size", HiddenSize);
        Positive("intermediate_size", IntermediateSize);
        Positive("num_hidden_layers", NumHiddenLayers);
        Positive("num_attention_heads", NumAttentionHeads);
        Positive("num_key_value_heads", NumKeyValueHeads);
        Positive("rms_norm_eps", RmsNormEps);
        Positive("rope_theta", RopeTheta);
        Positive("max_position_embeddings", MaxPositionEmbeddings);
        if (HeadDimOverride is null && HiddenSize % NumAttentionHeads != 0)
            throw Invalid(origin, "num_attention_heads", $"({NumAttentionHeads}) must divide hidden_size ({HiddenSize}).");
        if (HeadDim % 2 != 0)
            throw Invalid(origin, "head_dim", $"is {HeadDim}; rotary embeddings need an even head size.");
        if (NumAttentionHeads % NumKeyValueHeads != 0)
            throw Invalid(origin, "num_key_value_heads", $"({NumKeyValueHeads}) must divide num_attention_heads ({NumAttentionHeads}) for grouped-query attention.");
        if (HiddenAct != "silu")
            throw Invalid(origin, "hidden_act", $"is '{HiddenAct}'; only 'silu' (SwiGLU) is supported.");
        if (TorchDtype is not ("float32" or "bfloat16" or "float16"))
            throw Invalid(origin, "torch_dtype", $"is '{TorchDtype}'; expected float32, bfloat16 or float16.");
        foreach (int id in EosTokenIds.Append(BosTokenId ?? 0))
            if (id < 0 || id >= VocabSize)
                throw Invalid(origin, "eos_token_id", $"holds {id}, outside the vocabulary [0, {VocabSize}).");
    }

    /// <summary>The config as HF writes it: the known fields, then every extra key, sorted (json.dumps sort_keys).</summary>
    public JsonObject ToJson()
    {
        var node = JsonSerializer.SerializeToNode(this, ModelConfigJsonContext.Default.ModelConfig)!.AsObject();
        if (HeadDimOverride is null) node.Remove("head_dim");
        if (IsQwen2)
        {
            // Llama-only switches: a Qwen2 config.json does not carry them.
            node.Remove("attention_bias");
            node.Remove("mlp_bias");
        }
        node["eos_token_id"] = EosTokenIds.Length == 1 ? JsonValue.Create(EosTokenIds[0]) : new JsonArray(EosTokenIds.Select(i => (JsonNode?)i).ToArray());
        if (BosTokenId is null) node.Remove("bos_token_id");
        foreach (var (key, value) in Extra)
            node[key] = value?.DeepClone();
        return new JsonObject(node.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
    }

    /// <summary>Writes config.json with HF's formatting (indent 2, sorted keys, trailing newline).</summary>
    public void Save(string path) =>
        File.WriteAllText(path, ToJson().ToJsonString(HfJson.Indented) + "\n");

    static JsonObject WithKey(JsonObject root, string key, JsonNode value)
    {
        var copy = root.DeepClone().AsObject();
        copy[key] = value;
        return copy;
    }

    static T? Get<T>(JsonObject root, string key, string origin)
    {
        var node = root[key];
        if (node is null) return default;
        try
        {
            return node.Deserialize<T>(HfJson.Lenient);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw Invalid(origin, key, $"is {node.ToJsonString()}; expected {Describe(typeof(T))}.");
        }
    }

    static string Describe(Type type) =>
        (Nullable.GetUnderlyingType(type) ?? type) switch
        {
            var t when t == typeof(int) => "an integer",
            var t when t == typeof(double) => "a number",
            var t when t == typeof(bool) => "true or false",
            var t when t == typeof(string) => "a string",
            var t when t == typeof(string[]) => "a list of strings",
            var t when t == typeof(int[]) => "a list of integers",
            var t => t.Name,
        };

    static RlscException Invalid(string origin, string key, string what) =>
        new(ErrorCodes.ModelConfigInvalid, $"field '{key}' {what}", origin);
}

[JsonSerializable(typeof(ModelConfig))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
internal sealed partial class ModelConfigJsonContext : JsonSerializerContext;
