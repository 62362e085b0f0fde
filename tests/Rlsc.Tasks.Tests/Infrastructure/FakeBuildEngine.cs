using System.Collections;
using Microsoft.Build.Framework;

namespace Rlsc.Tasks.Tests.Infrastructure;

/// <summary>A build engine that records what a task logs, as MSBuild would receive it.</summary>
internal sealed class FakeBuildEngine : IBuildEngine3
{
    readonly object _gate = new();

    public List<BuildErrorEventArgs> Errors { get; } = new();
    public List<BuildWarningEventArgs> Warnings { get; } = new();
    public List<BuildMessageEventArgs> Messages { get; } = new();

    public bool ContinueOnError => false;
    public bool IsRunningMultipleNodes => false;
    public int LineNumberOfTaskNode => 42;
    public int ColumnNumberOfTaskNode => 5;
    public string ProjectFileOfTaskNode { get; set; } = Path.Combine(Path.GetTempPath(), "project.proj");

    public void LogErrorEvent(BuildErrorEventArgs e) { lock (_gate) Errors.Add(e); }
    public void LogWarningEvent(BuildWarningEventArgs e) { lock (_gate) Warnings.Add(e); }
    public void LogMessageEvent(BuildMessageEventArgs e) { lock (_gate) Messages.Add(e); }
    public void LogCustomEvent(CustomBuildEventArgs e) { }

    public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) =>
        throw new NotSupportedException();
    public bool BuildProjectFilesInParallel(string[] projectFileNames, string[] targetNames, IDictionary[] globalProperties, IDictionary[] targetOutputsPerProject, string[] toolsVersion, bool useResultsCache, bool unloadProjectsOnCompletion) =>
        throw new NotSupportedException();
    public BuildEngineResult BuildProjectFilesInParallel(string[] projectFileNames, string[] targetNames, IDictionary[] globalProperties, IList<string>[] removeGlobalProperties, string[] toolsVersion, bool returnTargetOutputs) =>
        throw new NotSupportedException();
    public void Yield() { }
    public void Reacquire() { }
    public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs, string toolsVersion) =>
        throw new NotSupportedException();

    /// <summary>Messages' text, for assertions.</summary>
    public IEnumerable<string> MessageTexts { get { lock (_gate) return Messages.Select(m => m.Message ?? "").ToList(); } }

    public IEnumerable<string> ErrorCodes { get { lock (_gate) return Errors.Select(e => e.Code ?? "").ToList(); } }
}
