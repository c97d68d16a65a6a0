"""Letters and visits (信访): cases, their workflow under the 2022 信访工作条例, deadlines, and the portal's intake."""
