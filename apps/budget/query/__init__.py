"""预算查询: drill-through from the books to single payments, filters, Excel export and saved queries."""
