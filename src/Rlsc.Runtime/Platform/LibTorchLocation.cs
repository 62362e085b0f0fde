using Rlsc.Core;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Rlsc.Runtime.Platform;

/// <summary>
/// Where an external LibTorch lives (the folder holding libtorch_cpu.so) and what it says about itself.
/// <paramref name="Source"/> says how it was chosen: "RLSC_LIBTORCH" (a folder) or "python3" (RLSC_LIBTORCH=python:
/// the torch/lib of the PyTorch that python3 imports). Version and CUDA come from the files a LibTorch distribution
/// carries beside its lib folder (build-version of the libtorch zip, version.py of a PyTorch install), or null.
/// </summary>
public sealed record LibTorchLocation(string Folder, string Source, string? Version, string? CudaVersion)
{
    public const string Variable = "RLSC_LIBTORCH";
    public const string PythonVariable = "RLSC_PYTHON";

    /// <summary>The libraries a LibTorch folder must hold to run on the CPU; libtorch_cuda.so adds CUDA.</summary>
    public static readonly string[] RequiredFiles = ["libc10.so", "libtorch_cpu.so", "libtorch.so"];

    public bool HasCuda => File.Exists(Path.Combine(Folder, "libtorch_cuda.so"));

    /// <summary>Reads RLSC_LIBTORCH; throws RLSC100 naming what was found and what to do when it is unusable.</summary>
    public static LibTorchLocation Resolve(string? setting)
    {
        if (string.IsNullOrWhiteSpace(setting))
            throw new RlscException(ErrorCodes.LibTorchNotFound,
                $"this rlsc was built without LibTorch (-p:TorchDevice=external) and {Variable} is not set. Set {Variable} to a folder " +
                "holding libtorch_cpu.so (and libtorch_cuda.so for CUDA), e.g. libtorch/lib of a LibTorch zip, or " +
                $"{Variable}=python to use the PyTorch that python3 imports.");
        var location = setting.Trim() == "python" ? FromPython() : FromFolder(setting.Trim(), Variable);
        var missing = RequiredFiles.Where(f => !File.Exists(Path.Combine(location.Folder, f))).ToList();
        if (missing.Count > 0)
        {
            string found = Directory.Exists(location.Folder)
                ? string.Join(", ", Directory.EnumerateFiles(location.Folder, "*.so*").Select(Path.GetFileName).Order().Take(8).DefaultIfEmpty("no .so files"))
                : "the folder does not exist";
            throw new RlscException(ErrorCodes.LibTorchNotFound,
                $"{location.Source} names {location.Folder}, which lacks {string.Join(", ", missing)} (found: {found}). " +
                $"Point {Variable} at the lib folder of a LibTorch (the one holding libtorch_cpu.so).", location.Folder);
        }
        return location;
    }

    static LibTorchLocation FromFolder(string folder, string source)
    {
        string full = Path.GetFullPath(folder);
        // libtorch zip: libtorch/lib + libtorch/build-version ("2.10.0+cpu"); PyTorch: torch/lib + torch/version.py.
        string parent = Path.GetDirectoryName(full.TrimEnd('/')) ?? full;
        string buildVersion = Path.Combine(parent, "build-version");
        if (File.Exists(buildVersion))
        {
            string version = File.ReadAllText(buildVersion).Trim();
            var cuda = Regex.Match(version, @"\+cu(\d+)(\d)$");
            return new LibTorchLocation(full, source, version, cuda.Success ? $"{cuda.Groups[1].Value}.{cuda.Groups[2].Value}" : null);
        }
        string versionPy = Path.Combine(parent, "version.py");
        if (File.Exists(versionPy))
        {
            string text = File.ReadAllText(versionPy);
            string? Field(string name) => Regex.Match(text, $@"^{name}\s*(?::[^=]*)?=\s*['""]([^'""]+)['""]", RegexOptions.Multiline) is { Success: true } m ? m.Groups[1].Value : null;
            return new LibTorchLocation(full, source, Field("__version__"), Field("cuda"));
        }
        return new LibTorchLocation(full, source, null, null);
    }

    /// <summary>RLSC_LIBTORCH=python: asks python3 (or RLSC_PYTHON) where its torch package is.</summary>
    static LibTorchLocation FromPython()
    {
        string python = Environment.GetEnvironmentVariable(PythonVariable) is { Length: > 0 } p ? p : "python3";
        const string script = "import os, torch; print(os.path.join(os.path.dirname(torch.__file__), 'lib'))";
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        string output, error;
        int exit;
        try
        {
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            error = stderr.Result;
            exit = process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new RlscException(ErrorCodes.LibTorchNotFound,
                $"{Variable}=python, but {python} could not be started ({e.Message}). Install Python with PyTorch, set {PythonVariable} to the interpreter, or set {Variable} to a LibTorch lib folder.");
        }
        if (exit != 0)
        {
            string last = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? $"exit code {exit}";
            throw new RlscException(ErrorCodes.LibTorchNotFound,
                $"{Variable}=python, but {python} cannot import torch ({last}). Install PyTorch for it (pip install torch), set {PythonVariable} to an interpreter that has it, or set {Variable} to a LibTorch lib folder.");
        }
        return FromFolder(output.Trim(), $"{Variable}=python ({python})");
    }
}
