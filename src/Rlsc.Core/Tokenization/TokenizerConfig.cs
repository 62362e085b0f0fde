using System.Text.Json;

namespace Rlsc.Core.Tokenization;

/// <summary>
/// The fields of tokenizer_config.json that the runtime uses (transformers reads many more). Every field is optional:
/// a folder without the file gets <see cref="Empty"/>.
/// </summary>
/// <param name="EosToken">"eos_token": the token that ends a turn (Qwen2.5-Instruct: &lt;|im_end|&gt;; base models: &lt;|endoftext|&gt;).</param>
/// <param name="PadToken">"pad_token" (Qwen2.5: &lt;|endoftext|&gt;).</param>
/// <param name="BosToken">"bos_token" (Qwen2.5: none).</param>
/// <param name="ChatTemplate">"chat_template": the Jinja template transformers renders (the default one when a list is given).</param>
/// <param name="ModelMaxLength">"model_max_length".</param>
public sealed record TokenizerConfig(string? EosToken, string? PadToken, string? BosToken, string? ChatTemplate, long? ModelMaxLength)
{
    public const string FileName = "tokenizer_config.json";

    public static TokenizerConfig Empty { get; } = new(null, null, null, null, null);

    public static TokenizerConfig Load(string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw TokenizerErrors.Malformed(path, e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw TokenizerErrors.Invalid(path, "(root)", "a JSON object");
            return new TokenizerConfig(
                TokenContent(root, "eos_token", path),
                TokenContent(root, "pad_token", path),
                TokenContent(root, "bos_token", path),
                ChatTemplateOf(root, path),
                root.TryGetProperty("model_max_length", out var max) && max.ValueKind == JsonValueKind.Number && max.TryGetInt64(out long m) ? m : null);
        }
    }

    // A special token is written either as its text or as an AddedToken object {"content": "...", ...}.
    static string? TokenContent(JsonElement root, string name, string file)
    {
        if (!root.TryGetProperty(name, out var value)) return null;
        return value.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Object => TokenizerErrors.OptionalString(value, "content", file, name)
                ?? throw TokenizerErrors.Invalid(file, $"{name}.content", "the token's text"),
            _ => throw TokenizerErrors.Invalid(file, name, "a string, an object with \"content\", or null"),
        };
    }

    // "chat_template" is a string, or a list of {"name", "template"} of which "default" is the one used.
    static string? ChatTemplateOf(JsonElement root, string file)
    {
        if (!root.TryGetProperty("chat_template", out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind == JsonValueKind.String) return value.GetString();
        if (value.ValueKind == JsonValueKind.Array)
            foreach (var item in value.EnumerateArray())
                if (item.ValueKind == JsonValueKind.Object && TokenizerErrors.OptionalString(item, "name", file, "chat_template[]") == "default")
                    return TokenizerErrors.OptionalString(item, "template", file, "chat_template[]");
        if (value.ValueKind == JsonValueKind.Array) return null;
        throw TokenizerErrors.Invalid(file, "chat_template", "a string or a list of {\"name\", \"template\"}");
    }
}
