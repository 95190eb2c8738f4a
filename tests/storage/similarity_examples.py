"""Hand-written blockers and help requests for the similarity tests: pairs that say the
same thing in other words (and share no configured keyword), and blockers about things
that have nothing to do with each other."""

from __future__ import annotations

SAME_THING = [
    ("Nobody applied when we advertised the project officer post",
     "We advertised the officer post twice and had no applicants"),
    ("The university's lawyers have not agreed the collaboration contract",
     "Collaboration contract is stuck with the university lawyers"),
    ("New cabinet member since the May elections has not been briefed on our work",
     "After the elections we have to brief a new cabinet member from scratch"),
    ("Bus routes to the estate were cut so young people cannot reach the youth hub",
     "Young people can't get to the youth hub since the bus routes were cut"),
    ("Our sponsor at the hospital trust moved jobs and nobody has replaced her",
     "The hospital trust sponsor left for another job, no replacement named"),
    ("Festival venue cancelled our booking at short notice",
     "We lost the booking for the festival venue at very short notice"),
    ("Can anyone introduce us to a housing association that retrofits homes?",
     "Looking for an introduction to a housing association doing home retrofits"),
    ("Councillors disagree about where the cycle lane should go",
     "No agreement among councillors on the route of the cycle lane"),
    ("Hard to recruit a youth worker for the evening sessions",
     "Nobody applies for the youth worker vacancy (evening sessions)"),
]

UNRELATED = [
    "Waiting for the ferry operator to confirm winter timetables",
    "Our shared drive keeps locking us out",
    "The heritage lottery bid needs a letter from the bishop",
    "Flooding closed the riverside path again",
    "School holidays mean nobody replies in August",
    "The mayor's office wants a glossy brochure first",
    "Broadband in the villages is too slow for online workshops",
    "Translators for Polish and Romanian residents are hard to book",
    "Student volunteers graduate before the pilot ends",
    "Parking charges put older visitors off the market hall",
    "A rival bid from the neighbouring county confuses investors",
    "Clinical commissioning changes moved our contact into a new team",
    "Steelworks closure dominates every meeting",
    "We can't agree on a name for the festival",
    "Printers at the library broke before the exhibition",
]
