using static TorchSharp.torch;

namespace Rlsc.Runtime.Model.Safetensors;

/// <summary>The dtype strings of the safetensors format and the TorchSharp types they map to.</summary>
public static class SafetensorsDType
{
    // Every dtype the format defines, with its size in bytes: a file with any other string is corrupt.
    static readonly Dictionary<string, int> Sizes = new(StringComparer.Ordinal)
    {
        ["BOOL"] = 1, ["U8"] = 1, ["I8"] = 1, ["F8_E4M3"] = 1, ["F8_E5M2"] = 1,
        ["I16"] = 2, ["U16"] = 2, ["F16"] = 2, ["BF16"] = 2,
        ["I32"] = 4, ["U32"] = 4, ["F32"] = 4,
        ["I64"] = 8, ["U64"] = 8, ["F64"] = 8,
    };

    static readonly Dictionary<string, ScalarType> Types = new(StringComparer.Ordinal)
    {
        ["BOOL"] = ScalarType.Bool, ["U8"] = ScalarType.Byte, ["I8"] = ScalarType.Int8, ["I16"] = ScalarType.Int16,
        ["I32"] = ScalarType.Int32, ["I64"] = ScalarType.Int64, ["F16"] = ScalarType.Float16, ["BF16"] = ScalarType.BFloat16,
        ["F32"] = ScalarType.Float32, ["F64"] = ScalarType.Float64,
    };

    public static bool IsKnown(string dtype) => Sizes.ContainsKey(dtype);
    public static int SizeOf(string dtype) => Sizes[dtype];
    public static IEnumerable<string> Known => Sizes.Keys;

    /// <summary>The TorchSharp type, or null for a dtype TorchSharp cannot hold (unsigned wider than 8 bits, float8).</summary>
    public static ScalarType? ToScalarType(string dtype) => Types.TryGetValue(dtype, out var t) ? t : null;

    public static string FromScalarType(ScalarType type) =>
        Types.FirstOrDefault(p => p.Value == type).Key
        ?? throw new ArgumentException($"{type} has no safetensors dtype.", nameof(type));

    /// <summary>The torch_dtype string of config.json for a weight type (float32, bfloat16, float16).</summary>
    public static string TorchDtypeName(ScalarType type) => type switch
    {
        ScalarType.Float32 => "float32",
        ScalarType.BFloat16 => "bfloat16",
        ScalarType.Float16 => "float16",
        ScalarType.Float64 => "float64",
        _ => throw new ArgumentException($"{type} is not a weight dtype.", nameof(type)),
    };

    /// <summary>Parses "float32" | "bfloat16" | "float16" (and "float64" for tests); null for anything else.</summary>
    public static ScalarType? ParseTorchDtype(string name) => name switch
    {
        "float32" => ScalarType.Float32,
        "bfloat16" => ScalarType.BFloat16,
        "float16" => ScalarType.Float16,
        "float64" => ScalarType.Float64,
        _ => null,
    };
}
