using System.Buffers.Binary;
using System.Text;

namespace Rlsc.Runtime.Tests.Training.TensorBoard;

/// <summary>One summary value of an event: a scalar (simple_value) or text (a string tensor).</summary>
sealed record TfEventValue(long Step, double WallTime, string Tag, float? Scalar, string? Text);

/// <summary>
/// Reads TensorBoard event files written independently of the writer under test: TFRecord framing (uint64 length,
/// masked CRC32C of the length, the bytes, masked CRC32C of the bytes; both checked) and a minimal protobuf decoder
/// for tensorflow.Event { double wall_time = 1; int64 step = 2; string file_version = 3; Summary summary = 5; },
/// Summary { repeated Value value = 1; }, Value { string tag = 1; float simple_value = 2; TensorProto tensor = 8; },
/// TensorProto { repeated bytes string_val = 8; }.
/// </summary>
static class TfEventReader
{
    public static List<TfEventValue> ReadFolder(string folder) =>
        Directory.GetFiles(folder, "events.out.tfevents.*").Order(StringComparer.Ordinal).SelectMany(Read).ToList();

    public static List<TfEventValue> Read(string file)
    {
        byte[] data = File.ReadAllBytes(file);
        var values = new List<TfEventValue>();
        int at = 0;
        bool first = true;
        while (at < data.Length)
        {
            if (data.Length - at < 12) throw new InvalidDataException($"{file}: torn record header at {at}");
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(at, 8));
            if (BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(at + 8, 4)) != MaskedCrc(data.AsSpan(at, 8)))
                throw new InvalidDataException($"{file}: bad length CRC at {at}");
            at += 12;
            var record = data.AsSpan(at, checked((int)length));
            if (BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(at + (int)length, 4)) != MaskedCrc(record))
                throw new InvalidDataException($"{file}: bad data CRC at {at}");
            at += (int)length + 4;
            var ev = ParseEvent(record.ToArray());
            if (first && ev.FileVersion != "brain.Event:2") throw new InvalidDataException($"{file}: first event is not the file version");
            first = false;
            values.AddRange(ev.Values.Select(v => v with { Step = ev.Step, WallTime = ev.WallTime }));
        }
        return values;
    }

    sealed record Event(double WallTime, long Step, string? FileVersion, List<TfEventValue> Values);

    static Event ParseEvent(byte[] bytes)
    {
        double wall = 0;
        long step = 0;
        string? version = null;
        var values = new List<TfEventValue>();
        foreach (var (field, wire, payload, varint) in Fields(bytes))
        {
            if (field == 1 && wire == 1) wall = BitConverter.Int64BitsToDouble((long)varint);
            else if (field == 2 && wire == 0) step = (long)varint;
            else if (field == 3 && wire == 2) version = Encoding.UTF8.GetString(payload!);
            else if (field == 5 && wire == 2)
                foreach (var (f, w, p, _) in Fields(payload!))
                    if (f == 1 && w == 2) values.Add(ParseValue(p!));
        }
        return new Event(wall, step, version, values);
    }

    static TfEventValue ParseValue(byte[] bytes)
    {
        string tag = "";
        float? scalar = null;
        string? text = null;
        foreach (var (field, wire, payload, raw) in Fields(bytes))
        {
            if (field == 1 && wire == 2) tag = Encoding.UTF8.GetString(payload!);
            else if (field == 2 && wire == 5) scalar = BitConverter.Int32BitsToSingle((int)raw);
            else if (field == 8 && wire == 2)
                foreach (var (f, w, p, _) in Fields(payload!))
                    if (f == 8 && w == 2) text = (text ?? "") + Encoding.UTF8.GetString(p!);
        }
        return new TfEventValue(0, 0, tag, scalar, text);
    }

    /// <summary>(field number, wire type, bytes of a length-delimited field, value of a varint/fixed field).</summary>
    static IEnumerable<(int Field, int Wire, byte[]? Payload, ulong Raw)> Fields(byte[] b)
    {
        int at = 0;
        while (at < b.Length)
        {
            ulong key = Varint(b, ref at);
            int field = (int)(key >> 3), wire = (int)(key & 7);
            switch (wire)
            {
                case 0: yield return (field, wire, null, Varint(b, ref at)); break;
                case 1: yield return (field, wire, null, BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(at, 8))); at += 8; break;
                case 5: yield return (field, wire, null, BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at, 4))); at += 4; break;
                case 2:
                    int n = (int)Varint(b, ref at);
                    yield return (field, wire, b.AsSpan(at, n).ToArray(), 0);
                    at += n;
                    break;
                default: throw new InvalidDataException($"unexpected wire type {wire}");
            }
        }
    }

    static ulong Varint(byte[] b, ref int at)
    {
        ulong value = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte x = b[at++];
            value |= (ulong)(x & 0x7f) << shift;
            if (x < 0x80) return value;
        }
    }

    static readonly uint[] Table = Enumerable.Range(0, 256).Select(i =>
    {
        uint c = (uint)i;
        for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0x82F63B78u ^ (c >> 1) : c >> 1;   // CRC-32C (Castagnoli), reflected
        return c;
    }).ToArray();

    static uint MaskedCrc(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte x in data) crc = Table[(crc ^ x) & 0xff] ^ (crc >> 8);
        crc ^= 0xFFFFFFFFu;
        return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;   // TFRecord's mask
    }
}
