using Rlsc.NativeFix;
using Rlsc.Runtime.Platform;

namespace Rlsc.Runtime.Tests.Platform;

/// <summary>The build's GLIBCXX_3.4.32 fix changes exactly one flag and leaves the NuGet cache alone.</summary>
public class NativeFixTests
{
    const string Version = "GLIBCXX_3.4.32";

    static string PackageLibrary()
    {
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string path = Path.Combine(packages, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.That(File.Exists(path), Is.True, $"the TorchSharp package's native library is expected at {path}");
        return path;
    }

    [Test]
    public void OutputFolderCopyDiffersFromThePackageOnlyInTheWeakFlag()
    {
        Assume.That(OperatingSystem.IsLinux(), "the fix concerns ELF libraries");
        string original = PackageLibrary();
        string? output = NativeLibraryLocator.FindLibTorchSharp();
        Assert.That(output, Is.Not.Null);

        var before = ElfVersionNeeds.Read(original).Single(n => n.Version == Version);
        var after = ElfVersionNeeds.Read(output!).Single(n => n.Version == Version);
        Assert.That(before.IsWeak, Is.False, "the NuGet cache must never be patched");
        Assert.That(after.IsWeak, Is.True);

        byte[] a = File.ReadAllBytes(original), b = File.ReadAllBytes(output!);
        Assert.That(b, Has.Length.EqualTo(a.Length));
        var differing = Enumerable.Range(0, a.Length).Where(i => a[i] != b[i]).ToArray();
        Assert.That(differing, Is.EqualTo(new[] { (int)after.FlagsOffset }), "only the low byte of vna_flags changes");
    }

    [Test]
    public void PatchingIsIdempotentAndKeepsEveryOtherRequirement()
    {
        Assume.That(OperatingSystem.IsLinux(), "the fix concerns ELF libraries");
        string folder = Path.Combine(Path.GetTempPath(), "rlsc-nativefix-" + Guid.NewGuid().ToString("N"));
        try
        {
            string once = Path.Combine(folder, "once.so"), twice = Path.Combine(folder, "twice.so");
            Assert.That(ElfVersionNeeds.WriteWithWeakVersion(PackageLibrary(), once, Version), Is.True);
            Assert.That(ElfVersionNeeds.WriteWithWeakVersion(once, twice, Version), Is.True);
            Assert.That(File.ReadAllBytes(twice), Is.EqualTo(File.ReadAllBytes(once)));

            var needs = ElfVersionNeeds.Read(twice);
            Assert.That(needs.Where(n => n.IsWeak).Select(n => n.Version), Is.EqualTo(new[] { Version }));
            Assert.That(needs.Select(n => n.Version), Is.EqualTo(ElfVersionNeeds.Read(PackageLibrary()).Select(n => n.Version)));
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void NotAnElfFileIsAClearError()
    {
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "not a library");
            var error = Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.Read(file));
            Assert.That(error!.Message, Does.Contain(file).And.Contain("not an ELF file"));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
