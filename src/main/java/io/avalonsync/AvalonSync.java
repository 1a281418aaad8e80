package io.avalonsync; public class AvalonSync { public static void main(String[] a){} }
