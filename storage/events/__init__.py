"""Events (讲座, 宣贯会, 培训): seat counters, registrations, the waiting list, attendance."""
