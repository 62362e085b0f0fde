using TorchSharp;
using static TorchSharp.torch;

namespace Rlsc.Runtime.Model.Safetensors;

/// <summary>
/// Writes tensors as one safetensors file, one tensor at a time (a CUDA tensor is copied to the CPU on its own),
/// in the layout the reference implementation produces: header padded with spaces to 8 bytes, tensors laid out
/// by descending dtype size then name (which keeps every tensor aligned), metadata {"format": "pt"} for PyTorch.
/// </summary>
public static class SafetensorsWriter
{
    public static readonly IReadOnlyDictionary<string, string> PyTorchMetadata = new Dictionary<string, string> { ["format"] = "pt" };

    /// <summary>Internal so that tests can exercise the chunking with small tensors.</summary>
    internal static long ChunkBytes { get; set; } = 1L << 30;

    /// <summary>Writes <paramref name="tensors"/> to <paramref name="path"/> (the caller makes the write atomic).</summary>
    public static void Write(string path, IReadOnlyList<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var ordered = tensors
            .OrderByDescending(t => t.Tensor.element_size())
            .ThenBy(t => t.Name, StringComparer.Ordinal)
            .ToList();
        var infos = new List<SafetensorsTensorInfo>();
        long offset = 0;
        foreach (var (name, tensor) in ordered)
        {
            long length = tensor.numel() * tensor.element_size();
            infos.Add(new SafetensorsTensorInfo(name, SafetensorsDType.FromScalarType(tensor.dtype), tensor.shape, offset, offset + length));
            offset += length;
        }
        // The reference writer sorts the header's keys too.
        byte[] header = SafetensorsHeader.Serialize(metadata ?? PyTorchMetadata, infos.OrderBy(i => i.Name, StringComparer.Ordinal));

        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 20);
        Span<byte> length8 = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(length8, (ulong)header.Length);
        stream.Write(length8);
        stream.Write(header);
        foreach (var (_, tensor) in ordered)
            WriteData(stream, tensor);
        stream.Flush(flushToDisk: true);
    }

    static void WriteData(Stream stream, Tensor tensor)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var cpu = tensor.detach().cpu().contiguous().view(-1);
        long elementSize = cpu.element_size();
        long perChunk = Math.Max(1, ChunkBytes / elementSize);
        for (long start = 0; start < cpu.shape[0]; start += perChunk)
            stream.Write(cpu.narrow(0, start, Math.Min(perChunk, cpu.shape[0] - start)).bytes);
    }
}
