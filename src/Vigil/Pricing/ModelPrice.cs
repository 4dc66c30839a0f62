using System.ComponentModel.DataAnnotations;

namespace Vigil.Pricing;

/// <summary>A model's price in USD per 1M tokens.</summary>
public sealed class ModelPrice
{
    /// <summary>Uncached input tokens.</summary>
    [Range(typeof(decimal), "0", "1000000")]
    public decimal Input { get; set; }

    /// <summary>Output tokens.</summary>
    [Range(typeof(decimal), "0", "1000000")]
    public decimal Output { get; set; }

    /// <summary>Input tokens served from the provider's prompt cache; null means the input price.</summary>
    [Range(typeof(decimal), "0", "1000000")]
    public decimal? CachedInput { get; set; }
}
