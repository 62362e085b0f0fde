using System.Text.Json;

namespace Rlsc.Core.IO;

/// <summary>
/// System.Text.Json parses an escaped unpaired surrogate ("\ud800") without complaint and throws
/// InvalidOperationException only when that string is read (GetString, a property name): not a JsonException, so
/// loaders that map JsonException to a clear error missed it. Loaders catch it with <see cref="IsUnpairedSurrogate"/>.
/// </summary>
public static class JsonUnicode
{
    /// <summary>True for the exception System.Text.Json throws when it reads a string that is not valid UTF-16.</summary>
    public static bool IsUnpairedSurrogate(Exception e) =>
        e is InvalidOperationException && e.TargetSite?.DeclaringType?.Assembly == typeof(JsonDocument).Assembly;

    /// <summary>The sentence loaders put in their error.</summary>
    public const string Explanation = "a string or key is not valid Unicode (an escaped unpaired surrogate such as \\ud800)";
}
