using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;
using Rlsc.Core;
using Rlsc.Runtime.Model.Safetensors;
using Rlsc.Runtime.Platform;

namespace Rlsc.Runtime.Tests.Model;

public class SafetensorsTests
{
    string dir = "";

    [SetUp]
    public void SetUp()
    {
        TorchLoader.EnsureLoaded();
        dir = Directory.CreateTempSubdirectory("rlsc-st-").FullName;
    }

    [TearDown]
    public void TearDown() => Directory.Delete(dir, recursive: true);

    static byte[] BytesOf(Tensor t) => t.contiguous().bytes.ToArray();

    [Test]
    public void RoundTripsEveryWeightDtypeBitForBit()
    {
        using var scope = NewDisposeScope();
        var g = new Generator(5);
        var tensors = new List<(string, Tensor)>
        {
            ("a.weight", randn([3, 5], generator: g)),
            ("b.bias", randn([7], generator: g).to(ScalarType.BFloat16)),
            ("c.weight", randn([2, 2, 3], generator: g).to(ScalarType.Float16)),
            ("d", randn([4], dtype: ScalarType.Float64, generator: g)),
            ("e.empty", zeros([0, 3])),
        };
        string path = Path.Combine(dir, "x.safetensors");
        SafetensorsWriter.Write(path, tensors);

        using var file = SafetensorsFile.Open(path);
        Assert.That(file.Metadata, Is.EqualTo(new Dictionary<string, string> { ["format"] = "pt" }));
        Assert.That(file.Info("b.bias").DType, Is.EqualTo("BF16"));
        Assert.That(file.Info("c.weight").DType, Is.EqualTo("F16"));
        foreach (var (name, expected) in tensors)
        {
            var actual = file.Read(name);
            Assert.That(actual.dtype, Is.EqualTo(expected.dtype), name);
            Assert.That(actual.shape, Is.EqualTo(expected.shape), name);
            Assert.That(BytesOf(actual), Is.EqualTo(BytesOf(expected)), name);
        }
    }

    [Test]
    public void FollowsTheFormatsLayout()
    {
        using var scope = NewDisposeScope();
        string path = Path.Combine(dir, "x.safetensors");
        SafetensorsWriter.Write(path, [("z", ones([3], ScalarType.BFloat16)), ("y", ones([2, 2])), ("x", ones([1], ScalarType.Float64))]);
        byte[] bytes = File.ReadAllBytes(path);
        long n = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.That(n % 8, Is.EqualTo(0), "header padded to 8 bytes");
        var header = JsonNode.Parse(Encoding.UTF8.GetString(bytes, 8, (int)n))!.AsObject();
        Assert.That(header["__metadata__"]!["format"]!.GetValue<string>(), Is.EqualTo("pt"));
        // Larger dtypes first so that every tensor stays aligned to its element size.
        Assert.That(header["x"]!["data_offsets"]!.ToJsonString(), Is.EqualTo("[0,8]"));
        Assert.That(header["y"]!["data_offsets"]!.ToJsonString(), Is.EqualTo("[8,24]"));
        Assert.That(header["z"]!["data_offsets"]!.ToJsonString(), Is.EqualTo("[24,30]"));
        Assert.That(header["z"]!["dtype"]!.GetValue<string>(), Is.EqualTo("BF16"));
        Assert.That(bytes.Length, Is.EqualTo(8 + n + 30));
    }

    [Test]
    public void ChunkedReadsAndWritesAreExact()
    {
        using var scope = NewDisposeScope();
        long saved = SafetensorsFile.ChunkBytes;
        SafetensorsFile.ChunkBytes = SafetensorsWriter.ChunkBytes = 12;  // 3 floats per chunk, tensors of 10 floats
        try
        {
            var t = randn([2, 5], generator: new Generator(1));
            string path = Path.Combine(dir, "x.safetensors");
            SafetensorsWriter.Write(path, [("t", t)]);
            using var file = SafetensorsFile.Open(path);
            Assert.That(BytesOf(file.Read("t")), Is.EqualTo(BytesOf(t)));
            var into = zeros([2, 5]);
            file.ReadInto("t", into);
            Assert.That(BytesOf(into), Is.EqualTo(BytesOf(t)));
        }
        finally
        {
            SafetensorsFile.ChunkBytes = SafetensorsWriter.ChunkBytes = saved;
        }
    }

    [Test]
    public void ReadIntoConvertsDtypeAndChecksTheShape()
    {
        using var scope = NewDisposeScope();
        var t = randn([4, 3], generator: new Generator(2)).to(ScalarType.BFloat16);
        string path = Path.Combine(dir, "x.safetensors");
        SafetensorsWriter.Write(path, [("t", t)]);
        using var file = SafetensorsFile.Open(path);
        var f32 = zeros([4, 3]);
        file.ReadInto("t", f32);
        Assert.That(f32.eq(t.to(ScalarType.Float32)).all().item<bool>());
        var e = Assert.Throws<RlscException>(() => file.ReadInto("t", zeros([3, 4])))!;
        Assert.That(e.Code, Is.EqualTo(ErrorCodes.CheckpointMismatch));
        Assert.That(e.Message, Does.Contain("'t'").And.Contain("[4, 3]").And.Contain("[3, 4]"));
        Assert.That(e.File, Is.EqualTo(path));
    }

    // A file from a header written by hand and a data section of the given length.
    string Handmade(string headerJson, int dataBytes, int? declaredLength = null)
    {
        byte[] header = Encoding.UTF8.GetBytes(headerJson);
        var bytes = new byte[8 + header.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)(declaredLength ?? header.Length));
        header.CopyTo(bytes, 8);
        new Random(3).NextBytes(bytes.AsSpan(8 + header.Length));
        string path = Path.Combine(dir, "bad.safetensors");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    static readonly object[] CorruptCases =
    [
        new object[] { """{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 4, "'w'", "run past the end" },                  // truncated data
        new object[] { """{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"v":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", 12, "'w'", "overlap" },
        new object[] { """{"w":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}""", 8, "'w'", "run past the end" },                 // out of range
        new object[] { """{"w":{"dtype":"Q4","shape":[2],"data_offsets":[0,8]}}""", 8, "'w'", "unknown dtype 'Q4'" },
        new object[] { """{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", 8, "'w'", "needs 12 bytes" },                    // shape/size mismatch
        new object[] { """{"w":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", 12, "'w'", "hole" },
        new object[] { """{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 9, "", "trailing bytes" },
        new object[] { """{"w":{"dtype":"F32","shape":[2],"data_offsets":[0]}}""", 8, "'w'", "[begin, end]" },
        new object[] { """{"w":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}""", 8, "'w'", "negative" },
        new object[] { """{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 8, "'w'", "twice" },
        new object[] { """{"w": oops}""", 8, "", "not valid JSON" },
    ];

    [TestCaseSource(nameof(CorruptCases))]
    public void ACorruptFileIsAClearErrorNamingFileAndTensor(string header, int dataBytes, string tensor, string problem)
    {
        string path = Handmade(header, dataBytes);
        var e = Assert.Throws<RlscException>(() => SafetensorsFile.Open(path).Dispose())!;
        Assert.That(e.Code, Is.EqualTo(ErrorCodes.CheckpointCorrupt));
        Assert.That(e.File, Is.EqualTo(path));
        Assert.That(e.Message, Does.Contain(tensor).And.Contain(problem));
    }

    [Test]
    public void AHeaderLengthPastTheEndIsAnError()
    {
        string path = Handmade("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 8, declaredLength: 1 << 20);
        var e = Assert.Throws<RlscException>(() => SafetensorsFile.Open(path).Dispose())!;
        Assert.That(e.Code, Is.EqualTo(ErrorCodes.CheckpointCorrupt));
        Assert.That(e.Message, Does.Contain("header length (1048576 bytes) runs past the end"));
    }

    [Test]
    public void AFileShorterThanTheLengthPrefixIsTruncated()
    {
        string path = Path.Combine(dir, "short.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);
        var e = Assert.Throws<RlscException>(() => SafetensorsFile.Open(path).Dispose())!;
        Assert.That(e.Message, Does.Contain("truncated"));
    }

    [Test]
    public void ATruncatedRealFileNamesTheTensorCut()
    {
        using var scope = NewDisposeScope();
        string path = Path.Combine(dir, "x.safetensors");
        SafetensorsWriter.Write(path, [("first", ones([16])), ("second", ones([16]))]);
        using (var stream = new FileStream(path, FileMode.Open)) stream.SetLength(stream.Length - 10);
        var e = Assert.Throws<RlscException>(() => SafetensorsFile.Open(path).Dispose())!;
        Assert.That(e.Message, Does.Contain("'second'").And.Contain("truncated"));
    }
}
