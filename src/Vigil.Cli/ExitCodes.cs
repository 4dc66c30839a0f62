namespace Vigil.Cli;

/// <summary>The exit codes of every <c>vigil</c> command (contract): 0 success, 1 the work failed, 2 bad usage.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int WorkFailed = 1;
    public const int BadUsage = 2;
}
