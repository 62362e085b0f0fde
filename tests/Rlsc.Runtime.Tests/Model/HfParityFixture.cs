using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace Rlsc.Runtime.Tests.Model;

/// <summary>
/// The fixture eng/hf-parity/make_reference.py wrote with Hugging Face transformers (HfParity/reference.json and
/// the model folders beside it; schema rlsc.hf-parity/v1): what transformers computed, read as plain arrays.
/// </summary>
internal static class HfParityFixture
{
    static readonly Lazy<JsonObject> ReferenceJson = new(() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Directory, "reference.json")))!.AsObject());

    /// <summary>tests/Rlsc.Runtime.Tests/Model/HfParity.</summary>
    public static string Directory => Path.Combine(SourceDirectory(), "HfParity");


    public static JsonObject Reference => ReferenceJson.Value;

    /// <summary>The entry of a tiny model made by transformers ("qwen2-gqa", ...).</summary>
    public static JsonObject Tiny(string name) =>
        Reference["tiny_models"]!.AsArray().Select(m => m!.AsObject()).Single(m => (string)m["name"]! == name);

    public static JsonObject ArithBase => Reference["arith_base"]!.AsObject();

    public static double Number(JsonNode? node) => node!.GetValue<double>();

    public static int[] Ints(JsonNode? node) => node!.AsArray().Select(x => x!.GetValue<int>()).ToArray();

    public static double[] Doubles(JsonNode? node) => node!.AsArray().Select(x => x!.GetValue<double>()).ToArray();

    /// <summary>A (B, T) int64 tensor from a JSON list of equal-length integer lists.</summary>
    public static Tensor LongMatrix(JsonNode? node)
    {
        var rows = node!.AsArray().Select(r => r!.AsArray().Select(x => x!.GetValue<long>()).ToArray()).ToArray();
        return tensor(rows.SelectMany(r => r).ToArray(), [rows.Length, rows[0].Length]);
    }

    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream)).ToLowerInvariant();
    }

    static string SourceDirectory([CallerFilePath] string source = "") => Path.GetDirectoryName(source)!;
}
