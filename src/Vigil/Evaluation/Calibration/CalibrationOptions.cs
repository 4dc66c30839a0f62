using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Vigil.Evaluation.Calibration;

/// <summary>
/// The calibration target. The seed (pitfall 4) asks for judge–human agreement above 85%. Raw agreement alone passes a
/// useless judge when one answer dominates (a judge that never reports a hallucination agrees 95% of the time when 5%
/// of answers hallucinate), so a dimension passes only when its agreement is above <see cref="MinAgreement"/> and its
/// chance-corrected agreement — quadratic-weighted kappa for the 1–5 scores, Cohen's kappa for is_hallucination — is
/// at least <see cref="MinKappa"/> (0.6, the lower edge of Landis and Koch's "substantial"). Set MinKappa to 0 for the
/// seed's rule alone. A kappa that is undefined (both raters gave one and the same answer throughout) fails nothing.
/// </summary>
public sealed class CalibrationOptions
{
    /// <summary>Agreement must be above this (seed pitfall 4: 85%). Default 0.85.</summary>
    [Range(0.0, 1.0)]
    public double MinAgreement { get; set; } = 0.85;

    /// <summary>Which agreement of the scores is held to <see cref="MinAgreement"/>. Default exact.</summary>
    public AgreementMeasure Agreement { get; set; } = AgreementMeasure.Exact;

    /// <summary>The kappa must be at least this. Default 0.6.</summary>
    [Range(-1.0, 1.0)]
    public double MinKappa { get; set; } = 0.6;

    /// <summary>Throws when a value is out of its range.</summary>
    /// <exception cref="ArgumentException">A value is invalid; the message names it.</exception>
    public void Validate()
    {
        if (!(MinAgreement is >= 0 and <= 1))
        {
            throw new ArgumentException($"{nameof(MinAgreement)} must be from 0 to 1, not {MinAgreement}.", nameof(MinAgreement));
        }

        if (!(MinKappa is >= -1 and <= 1))
        {
            throw new ArgumentException($"{nameof(MinKappa)} must be from -1 to 1, not {MinKappa}.", nameof(MinKappa));
        }

        if (!Enum.IsDefined(Agreement))
        {
            throw new ArgumentException($"{nameof(Agreement)} must be exact or within_one.", nameof(Agreement));
        }
    }

    /// <summary>The target as written in the report.</summary>
    [JsonIgnore]
    public CalibrationTarget Target => new(Agreement, MinAgreement, MinKappa);
}
