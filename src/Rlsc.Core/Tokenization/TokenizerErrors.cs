using System.Text.Json;

namespace Rlsc.Core.Tokenization;

/// <summary>Builds the tokenizer's <see cref="RlscException"/>s, so that every one names the file and the JSON field.</summary>
static class TokenizerErrors
{
    public static RlscException Invalid(string file, string field, string expected) =>
        new(ErrorCodes.TokenizerInvalid, $"{field}: expected {expected}. The file is not a valid Hugging Face tokenizer file; fetch it again from the model's repository.", file);

    public static RlscException Unsupported(string file, string field, string found, string supported) =>
        new(ErrorCodes.TokenizerUnsupported,
            $"{field} is '{found}', which Rlsc.Tokenization does not implement (it supports {supported}). " +
            "Byte-level BPE tokenizers (Qwen2, GPT-2, Llama 3 style) are supported; see docs/tokenization.md.", file);

    public static RlscException Malformed(string file, JsonException e) =>
        new(ErrorCodes.TokenizerInvalid, $"not valid JSON: {e.Message}", file, e.LineNumber is long l ? (int)l + 1 : null, e);

    /// <summary>The string at <paramref name="name"/>, or null when it is absent or JSON null; anything else is an error.</summary>
    public static string? OptionalString(JsonElement obj, string name, string file, string path)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.String) throw Invalid(file, $"{path}.{name}", "a string");
        return value.GetString();
    }

    public static bool OptionalBool(JsonElement obj, string name, bool defaultValue, string file, string path)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return defaultValue;
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Invalid(file, $"{path}.{name}", "true or false"),
        };
    }

    public static JsonElement RequiredObject(JsonElement obj, string name, string file, string path)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Object)
            throw Invalid(file, $"{path}.{name}", "an object");
        return value;
    }

    public static string RequiredType(JsonElement component, string file, string path)
    {
        if (component.ValueKind != JsonValueKind.Object) throw Invalid(file, path, "an object");
        return OptionalString(component, "type", file, path) ?? throw Invalid(file, $"{path}.type", "a component type name");
    }
}
