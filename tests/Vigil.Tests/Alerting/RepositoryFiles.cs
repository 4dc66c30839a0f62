namespace Vigil.Tests.Alerting;

/// <summary>Finds the repository the tests were built from (the directory holding Vigil.slnx) and tools on PATH.</summary>
internal static class RepositoryFiles
{
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Vigil.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Vigil.slnx above {AppContext.BaseDirectory}.");
    }

    public static string Deploy(string relative) => Path.Combine(Root(), "deploy", relative.Replace('/', Path.DirectorySeparatorChar));

    public static string FindTool(string name, string package) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .Append("/usr/bin/" + name)
            .FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"{name} is not installed: run scripts/bootstrap (apt-get install {package}).");
}
