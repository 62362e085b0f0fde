namespace Rlsc.Runtime.Model.Safetensors;

/// <summary>One tensor of a safetensors header: dtype string, shape and byte range [Begin, End) of the data section.</summary>
public sealed record SafetensorsTensorInfo(string Name, string DType, long[] Shape, long Begin, long End)
{
    public long ByteLength => End - Begin;
    public long ElementCount => Shape.Aggregate(1L, (a, d) => a * d);
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}
