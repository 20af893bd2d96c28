"""The declaration wizards: a project wizard and a department-wide wizard, one URL per step,
their input kept in a database draft until the last step saves the whole declaration."""
