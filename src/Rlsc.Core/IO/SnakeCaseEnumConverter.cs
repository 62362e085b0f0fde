using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rlsc.Core.IO;

/// <summary>
/// Reads and writes enums as snake_case strings ("normalized", "bfloat16"). Unlike the framework's converter,
/// an unknown value fails with a message that lists the accepted values, and numbers are refused.
/// </summary>
public sealed class SnakeCaseEnumConverter<T> : JsonConverter<T> where T : struct, Enum
{
    static readonly Dictionary<string, T> ByName =
        Enum.GetValues<T>().ToDictionary(v => NameOf(v), StringComparer.Ordinal);

    public static string NameOf(T value) => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    public static string Accepted => string.Join(", ", ByName.Keys);

    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw new JsonException($"expected a string, one of: {Accepted}.");
        string text = reader.GetString()!;
        return ByName.TryGetValue(text, out T value)
            ? value
            : throw new JsonException($"'{text}' is not one of: {Accepted}.");
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        writer.WriteStringValue(NameOf(value));
}

/// <summary>Applies <see cref="SnakeCaseEnumConverter{T}"/> to every enum type.</summary>
public sealed class SnakeCaseEnumConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(SnakeCaseEnumConverter<>).MakeGenericType(typeToConvert))!;
}
