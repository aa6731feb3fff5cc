-- Attendance per person, body and year
-- Who attended each body most often, year by year, and how often did they send apologies?
SELECT name, body, year, present + in_attendance AS attended, apologies, meetings_recorded, attendance_rate
FROM attendance_summary
ORDER BY body, year, attended DESC, name;
