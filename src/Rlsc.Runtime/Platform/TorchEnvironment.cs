using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using TorchSharp;

namespace Rlsc.Runtime.Platform;

/// <summary>What `rlsc doctor` reports: versions, devices, threads and the native fix.</summary>
public sealed record TorchEnvironment(
    string DotNet,
    string TorchSharp,
    string LibTorch,
    string Cpu,
    bool CudaAvailable,
    IReadOnlyList<string> CudaDevices,
    int Threads,
    NativeFixStatus NativeFix,
    ExternalLibTorchStatus? External = null,
    string? CudaRuntime = null)
{
    /// <summary>Loads TorchSharp (throwing RLSC005 with the cause if it cannot) and collects the facts.</summary>
    public static TorchEnvironment Collect()
    {
        TorchLoader.EnsureLoaded();
        bool cuda = torch.cuda.is_available();
        var external = ExternalLibTorch.Status;
        return new TorchEnvironment(
            RuntimeInformation.FrameworkDescription,
            typeof(torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
                ?? torch.__version__,
            external is not null
                ? $"{external.LibTorch.Version ?? "version unknown"} from {external.LibTorch.Folder} ({external.LibTorch.Source})"
                : LibTorchPackageVersion() ?? "unknown",
            CpuName(),
            cuda,
            cuda ? CudaDeviceNames(torch.cuda.device_count()) : [],
            torch.get_num_threads(),
            NativeFixStatus.Inspect(),
            external,
            cuda ? CudaRuntimeVersion() ?? external?.LibTorch.CudaVersion : null);
    }

    /// <summary>
    /// The CUDA runtime the process mapped (libcudart.so.12.8.90 names its version); TorchSharp has no
    /// torch.version.cuda. Null before CUDA is used or with a statically linked runtime.
    /// </summary>
    static string? CudaRuntimeVersion()
    {
        string? path = NativeLibraryLocator.LoadedLibrary("libcudart.so.");
        return path is null ? null : Path.GetFileName(path)["libcudart.so.".Length..];
    }

    /// <summary>The libtorch-* package the application was built with, read from its deps.json.</summary>
    static string? LibTorchPackageVersion()
    {
        var files = (AppContext.GetData("APP_CONTEXT_DEPS_FILES") as string)?.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).ToList() ?? [];
        if (Assembly.GetEntryAssembly()?.GetName().Name is string entry)
            files.Add(Path.Combine(AppContext.BaseDirectory, entry + ".deps.json"));
        // Keys look like "libtorch-cpu-linux-x64/2.10.0" or "libtorch-cuda-12.8-linux-x64/2.10.0".
        string platform = (OperatingSystem.IsWindows() ? "win-" : OperatingSystem.IsMacOS() ? "osx-" : "linux-")
            + RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();
        foreach (string file in files.Where(File.Exists))
        {
            using var deps = JsonDocument.Parse(File.ReadAllText(file));
            if (!deps.RootElement.TryGetProperty("libraries", out var libraries)) continue;
            foreach (var library in libraries.EnumerateObject())
            {
                string[] parts = library.Name.Split('/');
                if (parts.Length == 2 && parts[0].StartsWith("libtorch-", StringComparison.OrdinalIgnoreCase)
                    && parts[0].EndsWith(platform, StringComparison.OrdinalIgnoreCase))
                    return $"{parts[1]} ({parts[0]})";
            }
        }
        return null;
    }

    static string CpuName()
    {
        const string cpuinfo = "/proc/cpuinfo";
        string? model = File.Exists(cpuinfo)
            ? File.ReadLines(cpuinfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return $"{model ?? RuntimeInformation.ProcessArchitecture.ToString()}, {Environment.ProcessorCount} logical cores";
    }

    /// <summary>TorchSharp has no get_device_name; nvidia-smi, where present, knows the names.</summary>
    static IReadOnlyList<string> CudaDeviceNames(int count)
    {
        try
        {
            var start = new ProcessStartInfo("nvidia-smi", "--query-gpu=name --format=csv,noheader")
            { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var process = Process.Start(start);
            if (process is not null)
            {
                string output = process.StandardOutput.ReadToEnd();
                process.WaitForExit(5000);
                var names = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (names.Length == count) return names.Select((n, i) => $"cuda:{i} {n}").ToArray();
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // nvidia-smi is not installed: fall back to numbered devices.
        }
        return Enumerable.Range(0, count).Select(i => $"cuda:{i}").ToArray();
    }
}
