using Microsoft.Win32.SafeHandles;
using TorchSharp;
using static TorchSharp.torch;
using Rlsc.Core;

namespace Rlsc.Runtime.Model.Safetensors;

/// <summary>
/// A safetensors file opened for reading one tensor at a time: the header is validated on open, and each read
/// goes straight from the file into the destination tensor's memory (positional reads, no whole-file buffer), so
/// loading a checkpoint needs the model's memory plus at most one tensor (when dtype or device differ).
/// </summary>
public sealed class SafetensorsFile : IDisposable
{
    // Reads go through spans, which hold at most 2 GiB: larger tensors (a 7B float32 embedding) are read in chunks.
    /// <summary>Internal so that tests can exercise the chunking with small tensors.</summary>
    internal static long ChunkBytes { get; set; } = 1L << 30;

    readonly SafeFileHandle handle;
    readonly Dictionary<string, SafetensorsTensorInfo> byName;

    SafetensorsFile(SafetensorsHeader header, SafeFileHandle handle)
    {
        Header = header;
        this.handle = handle;
        byName = header.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    public static SafetensorsFile Open(string path)
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("safetensors data is little-endian; this runtime reads it on little-endian machines only.");
        if (!File.Exists(path))
            throw new RlscException(ErrorCodes.FileNotFound, "safetensors file not found.", path);
        var header = SafetensorsHeader.Read(path);
        return new SafetensorsFile(header, File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read));
    }

    public SafetensorsHeader Header { get; }
    public string Path => Header.Path;
    public IReadOnlyList<SafetensorsTensorInfo> Tensors => Header.Tensors;
    public IReadOnlyDictionary<string, string> Metadata => Header.Metadata;
    public bool Contains(string name) => byName.ContainsKey(name);

    public SafetensorsTensorInfo Info(string name) =>
        byName.TryGetValue(name, out var info) ? info
            : throw new RlscException(ErrorCodes.CheckpointMismatch, $"tensor '{name}' is not in this file.", Path);

    /// <summary>A new CPU tensor with the stored dtype and shape.</summary>
    public Tensor Read(string name)
    {
        var info = Info(name);
        var tensor = empty(info.Shape, dtype: TypeOf(info));
        try
        {
            ReadBytes(info, tensor);
            return tensor;
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Copies a stored tensor into <paramref name="destination"/> (same shape; any dtype or device, converted by
    /// copy_). A contiguous CPU destination of the stored dtype is filled in place with no intermediate copy.
    /// </summary>
    public void ReadInto(string name, Tensor destination)
    {
        var info = Info(name);
        if (!destination.shape.SequenceEqual(info.Shape))
            throw new RlscException(ErrorCodes.CheckpointMismatch,
                $"tensor '{name}' has shape {info.ShapeText} in the file but the model expects [{string.Join(", ", destination.shape)}]: config.json does not match these weights.", Path);
        using var noGrad = no_grad();
        if (destination.device_type == DeviceType.CPU && destination.dtype == TypeOf(info) && destination.is_contiguous())
        {
            ReadBytes(info, destination);
            return;
        }
        using var staged = Read(name);
        destination.copy_(staged);
    }

    ScalarType TypeOf(SafetensorsTensorInfo info) =>
        SafetensorsDType.ToScalarType(info.DType) ?? throw new RlscException(ErrorCodes.CheckpointUnsupported,
            $"tensor '{info.Name}' is stored as {info.DType}, which TorchSharp cannot hold; weights must be F32, F16 or BF16.", Path);

    // Fills a contiguous CPU tensor with the tensor's bytes, chunk by chunk through flat views of it.
    void ReadBytes(SafetensorsTensorInfo info, Tensor destination)
    {
        long elementSize = destination.element_size();
        long elementsPerChunk = Math.Max(1, ChunkBytes / elementSize);
        using var flat = destination.view(-1);
        long total = flat.shape[0];
        for (long start = 0; start < total; start += elementsPerChunk)
        {
            long count = Math.Min(elementsPerChunk, total - start);
            using var chunk = flat.narrow(0, start, count);
            ReadExactly(chunk.bytes, Header.DataStart + info.Begin + start * elementSize, info.Name);
        }
    }

    void ReadExactly(Span<byte> buffer, long offset, string tensor)
    {
        while (buffer.Length > 0)
        {
            int read = RandomAccess.Read(handle, buffer, offset);
            if (read == 0)
                throw new RlscException(ErrorCodes.CheckpointCorrupt, $"tensor '{tensor}': the file ended while reading it (was it truncated after it was opened?).", Path);
            buffer = buffer[read..];
            offset += read;
        }
    }

    public void Dispose() => handle.Dispose();
}
