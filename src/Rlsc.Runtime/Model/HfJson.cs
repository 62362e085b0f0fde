using System.Text.Encodings.Web;
using System.Text.Json;

namespace Rlsc.Runtime.Model;

/// <summary>JSON settings for the files Hugging Face reads and writes (config.json, index.json, generation_config.json).</summary>
internal static class HfJson
{
    /// <summary>Like Python's json.dumps(indent=2, ensure_ascii=False): two-space indent, text unescaped.</summary>
    public static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        IndentSize = 2,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>For reading single values out of config.json.</summary>
    public static readonly JsonSerializerOptions Lenient = new()
    {
        PropertyNameCaseInsensitive = false,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };
}
