using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Rlsc.Core;

namespace Rlsc.Runtime.Model.Safetensors;

/// <summary>
/// Reads and validates a safetensors header: an 8-byte little-endian length N, then N bytes of JSON
/// {"__metadata__": {..}, "name": {"dtype", "shape", "data_offsets": [begin, end]}}, then the data section.
/// Every check of the format is made here, before any tensor is read, and fails with RLSC011 naming the file
/// and the tensor: truncation, a header length past the end, unknown dtypes, a byte range that does not match
/// the shape, ranges out of the data section, overlapping or leaving holes (the format requires the data to be
/// exactly covered).
/// </summary>
public sealed record SafetensorsHeader(
    string Path,
    long DataStart,
    IReadOnlyDictionary<string, string> Metadata,
    IReadOnlyList<SafetensorsTensorInfo> Tensors)
{
    /// <summary>The format's own bound on the header (safetensors refuses larger ones).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    public static SafetensorsHeader Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        long fileLength = stream.Length;
        if (fileLength < 8)
            throw Corrupt(path, $"the file is truncated: {fileLength} bytes, shorter than the 8-byte header length.");
        Span<byte> prefix = stackalloc byte[8];
        stream.ReadExactly(prefix);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > (ulong)(fileLength - 8))
            throw Corrupt(path, $"the header length ({headerLength} bytes) runs past the end of the file ({fileLength} bytes): the file is truncated or not safetensors.");
        if (headerLength > MaxHeaderBytes)
            throw Corrupt(path, $"the header length ({headerLength} bytes) exceeds the format's limit of {MaxHeaderBytes} bytes.");
        var json = new byte[headerLength];
        stream.ReadExactly(json);
        long dataStart = 8 + (long)headerLength;
        return Parse(path, json, dataStart, fileLength - dataStart);
    }

    static SafetensorsHeader Parse(string path, byte[] json, long dataStart, long dataLength)
    {
        try
        {
            return ParseJson(path, json, dataStart, dataLength);
        }
        catch (Exception e) when (Rlsc.Core.IO.JsonUnicode.IsUnpairedSurrogate(e))
        {
            throw Corrupt(path, $"the header is not valid: {Rlsc.Core.IO.JsonUnicode.Explanation}.");
        }
    }

    static SafetensorsHeader ParseJson(string path, byte[] json, long dataStart, long dataLength)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw Corrupt(path, $"the header is not valid JSON ({e.Message}).");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw Corrupt(path, "the header must be a JSON object.");
            var metadata = new Dictionary<string, string>();
            var tensors = new List<SafetensorsTensorInfo>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                    throw Corrupt(path, $"tensor '{property.Name}' appears twice in the header.");
                if (property.Name == "__metadata__")
                {
                    if (property.Value.ValueKind != JsonValueKind.Object)
                        throw Corrupt(path, "__metadata__ must be an object of strings.");
                    foreach (var entry in property.Value.EnumerateObject())
                        metadata[entry.Name] = entry.Value.ValueKind == JsonValueKind.String
                            ? entry.Value.GetString()!
                            : throw Corrupt(path, $"__metadata__ value '{entry.Name}' must be a string.");
                    continue;
                }
                tensors.Add(ParseTensor(path, property.Name, property.Value));
            }
            CheckLayout(path, tensors, dataLength);
            return new SafetensorsHeader(path, dataStart, metadata, tensors);
        }
    }

    static SafetensorsTensorInfo ParseTensor(string path, string name, JsonElement entry)
    {
        if (entry.ValueKind != JsonValueKind.Object)
            throw Corrupt(path, $"tensor '{name}': the entry must be an object with dtype, shape and data_offsets.");
        string? dtype = entry.TryGetProperty("dtype", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
        if (dtype is null)
            throw Corrupt(path, $"tensor '{name}': dtype is missing or not a string.");
        if (!SafetensorsDType.IsKnown(dtype))
            throw Corrupt(path, $"tensor '{name}': unknown dtype '{dtype}'; the format defines {string.Join(", ", SafetensorsDType.Known)}.");
        long[] shape = ReadIntegers(path, name, entry, "shape");
        long[] offsets = ReadIntegers(path, name, entry, "data_offsets");
        if (offsets.Length != 2)
            throw Corrupt(path, $"tensor '{name}': data_offsets must be [begin, end], got {offsets.Length} numbers.");
        if (shape.Any(s => s < 0))
            throw Corrupt(path, $"tensor '{name}': negative dimension in shape [{string.Join(", ", shape)}].");
        var info = new SafetensorsTensorInfo(name, dtype, shape, offsets[0], offsets[1]);
        if (info.Begin < 0 || info.End < info.Begin)
            throw Corrupt(path, $"tensor '{name}': data_offsets [{info.Begin}, {info.End}] is not a valid range.");
        long expected;
        try
        {
            expected = checked(shape.Aggregate(1L, (a, s) => checked(a * s)) * SafetensorsDType.SizeOf(dtype));
        }
        catch (OverflowException)
        {
            throw Corrupt(path, $"tensor '{name}': shape {info.ShapeText} is too large.");
        }
        if (expected != info.ByteLength)
            throw Corrupt(path, $"tensor '{name}': shape {info.ShapeText} of {dtype} needs {expected} bytes but data_offsets [{info.Begin}, {info.End}] span {info.ByteLength}.");
        return info;
    }

    static long[] ReadIntegers(string path, string name, JsonElement entry, string key)
    {
        if (!entry.TryGetProperty(key, out var array) || array.ValueKind != JsonValueKind.Array)
            throw Corrupt(path, $"tensor '{name}': {key} is missing or not a list.");
        var values = new List<long>();
        foreach (var item in array.EnumerateArray())
            values.Add(item.ValueKind == JsonValueKind.Number && item.TryGetInt64(out long v)
                ? v
                : throw Corrupt(path, $"tensor '{name}': {key} holds {item.GetRawText()}, not a non-negative integer."));
        return values.ToArray();
    }

    // The format requires the byte ranges to tile the data section: sorted by begin, each starts where the
    // previous one ended, the first at 0 and the last at the end of the file.
    static void CheckLayout(string path, List<SafetensorsTensorInfo> tensors, long dataLength)
    {
        foreach (var t in tensors)
            if (t.End > dataLength)
                throw Corrupt(path, $"tensor '{t.Name}': data_offsets [{t.Begin}, {t.End}] run past the end of the data section ({dataLength} bytes): the file is truncated or the offsets are wrong.");
        long position = 0;
        SafetensorsTensorInfo? previous = null;
        foreach (var t in tensors.Where(t => t.ByteLength > 0).OrderBy(t => t.Begin).ThenBy(t => t.End))
        {
            if (t.Begin < position)
                throw Corrupt(path, $"tensors '{previous!.Name}' [{previous.Begin}, {previous.End}] and '{t.Name}' [{t.Begin}, {t.End}] overlap.");
            if (t.Begin > position)
                throw Corrupt(path, $"tensor '{t.Name}' starts at byte {t.Begin} but the previous tensor{(previous is null ? "s end" : $" '{previous.Name}' ends")} at {position}: the data section has a hole.");
            position = t.End;
            previous = t;
        }
        if (position != dataLength)
            throw Corrupt(path, $"the tensors cover {position} bytes of the data section but it holds {dataLength}: the file has trailing bytes or the header is wrong.");
    }

    static RlscException Corrupt(string path, string message) => new(ErrorCodes.CheckpointCorrupt, message, path);

    /// <summary>Serialises a header (tensors in the given order, offsets as given), padded with spaces to a multiple of 8 bytes.</summary>
    public static byte[] Serialize(IReadOnlyDictionary<string, string> metadata, IEnumerable<SafetensorsTensorInfo> tensors)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            if (metadata.Count > 0)
            {
                writer.WriteStartObject("__metadata__");
                foreach (var (key, value) in metadata) writer.WriteString(key, value);
                writer.WriteEndObject();
            }
            foreach (var t in tensors)
            {
                writer.WriteStartObject(t.Name);
                writer.WriteString("dtype", t.DType);
                writer.WriteStartArray("shape");
                foreach (long s in t.Shape) writer.WriteNumberValue(s);
                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(t.Begin);
                writer.WriteNumberValue(t.End);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        int padding = (int)((8 - buffer.Length % 8) % 8);
        return [.. buffer.ToArray(), .. Enumerable.Repeat((byte)' ', padding)];
    }

    /// <summary>UTF-8 of a string, for callers building headers by hand (tests).</summary>
    internal static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
